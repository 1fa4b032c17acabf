import { describe, expect, it } from 'vitest'
import {
  firstHunk,
  judge,
  learnUnstable,
  maskUnstable,
  multisetDifference,
  normaliseVolatile,
  templateOf,
  type Run,
  type SideFacts,
} from '../tools/compare-reports/normalise.js'

const side = (over: Partial<SideFacts> = {}): SideFacts => ({
  checkout: '/work/repo',
  version: '0.1.0',
  versionsDiffer: false,
  tmpdir: '/tmp',
  cwd: '/work/repo',
  ...over,
})
const run = (report: string, exitCode = 1): Run => ({ exitCode, report })

describe('normaliseVolatile: only the named fields', () => {
  it('rewrites renderMs in JSON, and nothing else that looks like a number', () => {
    const json = '{ "renderMs": 290, "line": 290, "resources": 4 }'
    expect(normaliseVolatile(json, 'json', side())).toBe('{ "renderMs": <ms>, "line": 290, "resources": 4 }')
    expect(normaliseVolatile(json, 'sarif', side())).toBe(json)
  })

  it('rewrites the render wall time of the text summary', () => {
    const text = 'GitOps sources: 7 scanned, 0 failed (7 renders in 0.6 s)\nx.yaml:12:3  high'
    expect(normaliseVolatile(text, 'text', side())).toBe(
      'GitOps sources: 7 scanned, 0 failed (7 renders in <s> s)\nx.yaml:12:3  high',
    )
    expect(normaliseVolatile(text, 'text-verbose', side())).toContain('renders in <s> s)')
  })

  it('rewrites the tool version only when the two sides differ in version', () => {
    const sarif = '"driver": {\n "name": "palisade",\n "version": "0.1.0",\n "informationUri": "x"'
    expect(normaliseVolatile(sarif, 'sarif', side())).toBe(sarif)
    expect(normaliseVolatile(sarif, 'sarif', side({ versionsDiffer: true }))).toContain('"version": "<version>"')
    expect(normaliseVolatile('<!-- palisade 0.1.0: blocking -->', 'junit', side({ versionsDiffer: true }))).toBe(
      '<!-- palisade <version>: blocking -->',
    )
  })

  it('rewrites a temporary checkout path and render scratch folders, but not the working directory', () => {
    const text = 'helm at /tmp/palisade-compare-x/abc/.tools/bin/helm failed in /tmp/palisade-render-Ab12Cd/out'
    expect(normaliseVolatile(text, 'text', side({ checkout: '/tmp/palisade-compare-x/abc' }))).toBe(
      'helm at <checkout>/.tools/bin/helm failed in <scratch-render>/out',
    )
    expect(normaliseVolatile('"uri": "file:///work/repo/"', 'sarif', side())).toBe('"uri": "file:///work/repo/"')
  })
})

describe('learning what varies between two runs of one build', () => {
  it('masks only the words that differ', () => {
    const t = templateOf('  in Pod/podinfo-grpc-test-msafc at /spec', '  in Pod/podinfo-grpc-test-pe0ow at /spec')
    expect(t?.shape).toBe('  in Pod/podinfo-grpc-test-<unstable> at /spec')
    expect(t?.words).toBe(1)
    expect(templateOf('a-b', 'a/b')).toBeUndefined()
    expect(templateOf('a b', 'a b c')).toBeUndefined()
  })

  it('pairs reordered lines with the partner of the same shape that differs least', () => {
    const a = 'head\nname: grpc-test-aaaaa\nname: jwt-test-bbbbb\ntail'
    const b = 'head\nname: jwt-test-ccccc\nname: grpc-test-ddddd\ntail'
    const { templates, unaligned } = learnUnstable(a, b)
    expect(unaligned).toEqual([])
    expect(templates.map((t) => t.shape).sort()).toEqual(['name: grpc-test-<unstable>', 'name: jwt-test-<unstable>'])
    expect(maskUnstable('name: grpc-test-zzzzz\nname: grpc-other-zzzzz', templates)).toBe(
      'name: grpc-test-<unstable>\nname: grpc-other-zzzzz',
    )
  })

  it('leaves a line it cannot pair as unaligned', () => {
    expect(learnUnstable('a\nb\nc', 'a\nc').unaligned).toEqual([{ a: 'b', b: '' }])
  })

  it('counts lines with multiplicity', () => {
    expect(multisetDifference(['x', 'x', 'y'], ['x', 'z'])).toEqual({ onlyA: ['x', 'y'], onlyB: ['z'] })
  })
})

describe('judge', () => {
  it('calls equal reports identical and a stable difference differs, with the first differing line', () => {
    expect(judge([run('a\nb'), run('a\nb')], [run('a\nb'), run('a\nb')]).verdict).toBe('identical')
    const r = judge([run('a\nb\nc'), run('a\nb\nc')], [run('a\nB\nc'), run('a\nB\nc')])
    expect(r.verdict).toBe('differs')
    expect(r.detail).toEqual(['@@ -2 +2 @@', ' a', '-b', '+B'])
  })

  it('differs on exit code alone', () => {
    expect(judge([run('a', 0), run('a', 0)], [run('a', 1), run('a', 1)]).verdict).toBe('differs')
  })

  it('masks words that vary on each side and finds the reports identical', () => {
    const r = judge(
      [run('pod-test-aaaaa\nx'), run('pod-test-bbbbb\nx')],
      [run('pod-test-ccccc\nx'), run('pod-test-ddddd\nx')],
    )
    expect(r.verdict).toBe('identical-masked')
    expect(r.unstable).toEqual(['pod-test-<unstable>'])
  })

  it('still fails on a difference that is stable on each side next to masked randomness', () => {
    const r = judge(
      [run('pod-test-aaaaa\nmessage one'), run('pod-test-bbbbb\nmessage one')],
      [run('pod-test-ccccc\nmessage two'), run('pod-test-ddddd\nmessage two')],
    )
    expect(r.verdict).toBe('differs')
    expect(r.detail).toContain('+message two')
  })

  it('compares as sets of lines when the order of lines varies between runs of one build', () => {
    const a = 'case p-aaaaa\n  failed\ncase p-bbbbb\n  full'
    const b = 'case p-ccccc\n  full\ncase p-ddddd\n  failed'
    const same = judge([run(a), run(b)], [run(b), run(a)])
    expect(same.verdict).toBe('identical-masked')
    expect(same.orderVaries).toBe(true)
    const other = judge([run(a), run(b)], [run(b.replace('full', 'fuller')), run(a.replace('full', 'fuller'))])
    expect(other.verdict).not.toMatch(/^identical/)
  })

  it('gives no verdict when exit codes vary between runs of one build', () => {
    expect(judge([run('a', 0), run('a', 1)], [run('a', 0), run('a', 0)]).verdict).toBe('unstable')
  })
})

describe('firstHunk', () => {
  it('shows one line of context, and a line only one side has', () => {
    expect(firstHunk('a\nb', 'a\nb\nc')).toEqual(['@@ -3 +3 @@', ' b', '+c'])
    expect(firstHunk('same', 'same')).toEqual([])
  })
})
