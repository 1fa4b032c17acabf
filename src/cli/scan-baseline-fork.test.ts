import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureIo, GitFixture } from '../testing/index.js'
import { main } from './main.js'

const validReport = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL('../../docs/schemas/scan-output.schema.json', import.meta.url), 'utf8')) as object,
)

// `scan --baseline origin/main` in a pull request: main moved on after the PR forked (it
// fixed one finding and added another). A pull request's changes are what code hosts show,
// the diff from the fork point, so on a plain checkout of the PR head the baseline is the
// merge base; on a CI checkout of the synthetic merge (GitHub's refs/pull/N/merge) it is
// the merge's first parent, main's tip. Either way only the PR's own finding is new and
// nothing is "fixed" by the PR. Real repositories, git's own merges.

const deployment = (name: string, image: string): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: { name: ${name}, namespace: shop }`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: ${image}`,
    '',
  ].join('\n')

interface Report {
  findings: { resource: { name: string }; baseline?: string }[]
  fixed?: { resource: { name: string } }[]
  baseline?: { ref: string; refCommit: string; commit: string; how: string; reason: string }
}

describe('scan --baseline REF compares with where the pull request forked', () => {
  let repo: GitFixture
  const at: Record<string, string> = {}

  beforeAll(() => {
    repo = new GitFixture()
    repo.write('apps/old.yaml', deployment('old', 'nginx:latest'))
    repo.write('apps/ok.yaml', deployment('ok', 'nginx:1.27'))
    at.fork = repo.commit('root')
    repo.git('checkout', '-q', '-b', 'feature')
    repo.write('apps/pr.yaml', deployment('pr', 'busybox:latest'))
    at.feature = repo.commit('the PR adds a finding')
    repo.git('checkout', '-q', 'main')
    repo.write('apps/old.yaml', deployment('old', 'nginx:1.27'))
    repo.write('apps/main.yaml', deployment('main', 'redis:latest'))
    at.main = repo.commit('main fixes old and adds its own finding after the fork')
  })
  afterAll(() => repo.cleanup())

  const scan = async (format = 'json') => {
    const io = captureIo(repo.dir)
    const code = await main(
      ['scan', '.', '--baseline', 'main', '--policies', 'disallow-latest-image-tag', '--format', format],
      io,
    )
    return { code, out: io.out(), err: io.err() }
  }
  const summary = (r: Report) => ({
    new: r.findings.filter((f) => f.baseline === 'new').map((f) => f.resource.name),
    existing: r.findings.filter((f) => f.baseline === 'existing').map((f) => f.resource.name),
    fixed: (r.fixed ?? []).map((f) => f.resource.name),
  })

  it("a plain checkout of the PR head: compared with the merge base, main's later fix and finding are not the PR's", async () => {
    repo.git('checkout', '-q', 'feature')
    const { code, out } = await scan()
    expect(code).toBe(1)
    const report = JSON.parse(out) as Report
    expect(validReport(report), JSON.stringify(validReport.errors)).toBe(true)
    expect(summary(report)).toEqual({ new: ['pr'], existing: ['old'], fixed: [] })
    expect(report.baseline).toMatchObject({ ref: 'main', refCommit: at.main, commit: at.fork, how: 'merge-base' })
    const text = await scan('text')
    expect(text.out).toContain(`Baseline: main -> ${at.fork?.slice(0, 12)} (main is at ${at.main?.slice(0, 12)})`)
  })

  it("a CI checkout of the synthetic merge: compared with its first parent, main's tip", async () => {
    repo.git('checkout', '-q', '--detach', 'main')
    repo.git('merge', '-q', '--no-ff', '--no-edit', 'feature')
    const merge = repo.git('rev-parse', 'HEAD').trim()
    const { code, out } = await scan()
    expect(code).toBe(1)
    const report = JSON.parse(out) as Report
    expect(summary(report)).toEqual({ new: ['pr'], existing: ['main'], fixed: [] })
    expect(report.baseline).toMatchObject({ commit: at.main, how: 'synthetic-merge' })
    expect(report.baseline?.reason).toContain(`HEAD ${merge.slice(0, 12)} is a synthetic merge`)
    repo.git('branch', '-f', 'pr-merge', merge)
  })

  it("a shallow CI clone (fetch-depth: 1) still compares, with REF's tip, and says why", async () => {
    const shallow = `${repo.home}/shallow`
    repo.git('clone', '-q', '--depth', '1', '--no-local', '--branch', 'pr-merge', `file://${repo.dir}`, shallow)
    execFileSync('git', ['fetch', '-q', '--depth', '1', 'origin', 'main:main'], { cwd: shallow, env: repo.env })
    const io = captureIo(shallow)
    const code = await main(
      ['scan', '.', '--baseline', 'main', '--policies', 'disallow-latest-image-tag', '--format', 'json'],
      io,
    )
    expect(code).toBe(1)
    const report = JSON.parse(io.out()) as Report
    expect(summary(report)).toEqual({ new: ['pr'], existing: ['main'], fixed: [] })
    expect(report.baseline).toMatchObject({ commit: at.main, how: 'ref' })
    expect(report.baseline?.reason).toContain('no common commit')
  })

  it("HEAD at REF's tip compares with the tip itself", async () => {
    repo.git('checkout', '-q', 'main')
    const { code, out } = await scan()
    expect(code).toBe(0)
    const report = JSON.parse(out) as Report
    expect(summary(report)).toEqual({ new: [], existing: ['main'], fixed: [] })
    expect(report.baseline).toMatchObject({ commit: at.main, how: 'ref' })
  })
})
