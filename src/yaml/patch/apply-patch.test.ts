import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ToolError, type PatchOperation } from '../../core/index.js'
import { applyPatch, parseManifests } from '../index.js'

const pod = `# Pod for the web tier
apiVersion: v1
kind: Pod
metadata:
  name: web   # keep this name
  labels: {app: web, tier: front}

spec:
  # the main container first
  containers:
    - name: app
      image: nginx:1.25
      securityContext:
        privileged: true   # needed?
        readOnlyRootFilesystem: false
      args: [--port, "8080"]
    - name: sidecar
      image: busybox
`

/** Apply, check that applying again changes nothing, and return the text. */
function patched(text: string, operations: PatchOperation[], documentIndex = 0): string {
  const once = applyPatch(text, documentIndex, operations)
  expect(applyPatch(once, documentIndex, operations)).toBe(once)
  return once
}

const valueOf = (text: string, index = 0) =>
  parseManifests(text, 'p.yaml').documents.find((d) => d.index === index)?.object

describe('applyPatch in block style', () => {
  it('adds a key at the end of a mapping', () => {
    expect(patched(pod, [{ op: 'add', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true }])).toBe(
      pod.replace('readOnlyRootFilesystem: false\n', 'readOnlyRootFilesystem: false\n        runAsNonRoot: true\n'),
    )
  })

  it('creates missing parent mappings', () => {
    expect(
      patched(pod, [{ op: 'add', path: '/spec/containers/1/securityContext/capabilities/drop', value: ['ALL'] }]),
    ).toBe(`${pod}      securityContext:\n        capabilities:\n          drop:\n            - ALL\n`)
  })

  it('turns an empty value into the mapping the path needs', () => {
    const text = 'spec:\n  securityContext:\n  hostNetwork: true\n'
    expect(patched(text, [{ op: 'add', path: '/spec/securityContext/runAsNonRoot', value: true }])).toBe(
      'spec:\n  securityContext:\n    runAsNonRoot: true\n  hostNetwork: true\n',
    )
  })

  it('replaces a scalar, keeping the comment after it', () => {
    expect(patched(pod, [{ op: 'replace', path: '/spec/containers/0/securityContext/privileged', value: false }])).toBe(
      pod.replace('privileged: true   # needed?', 'privileged: false   # needed?'),
    )
  })

  it('replaces a scalar with a mapping and a mapping with a scalar', () => {
    const toMap = patched(pod, [{ op: 'replace', path: '/metadata/name', value: { first: 'a', second: ['b'] } }])
    expect(toMap).toBe(
      pod.replace(
        '  name: web   # keep this name\n',
        '  name:   # keep this name\n    first: a\n    second:\n      - b\n',
      ),
    )
    const toScalar = patched(pod, [{ op: 'replace', path: '/spec/containers/0/securityContext', value: 'none' }])
    expect(toScalar).toBe(
      pod.replace(
        /securityContext:\n {8}privileged: true {3}# needed\?\n {8}readOnlyRootFilesystem: false/,
        'securityContext: none',
      ),
    )
  })

  it('removes a key with its line, leaving comments around it', () => {
    expect(patched(pod, [{ op: 'remove', path: '/spec/containers/0/securityContext/privileged' }])).toBe(
      pod.replace('        privileged: true   # needed?\n', ''),
    )
  })

  it('leaves an empty mapping when the last key goes', () => {
    const text = 'a:\n  b: 1\nc: 2\n'
    expect(patched(text, [{ op: 'remove', path: '/a/b' }])).toBe('a: {}\nc: 2\n')
  })

  it('removes the first key of a mapping written after "- "', () => {
    expect(patched(pod, [{ op: 'remove', path: '/spec/containers/1/name' }])).toBe(
      pod.replace('    - name: sidecar\n      image: busybox', '    - image: busybox'),
    )
  })

  it('appends, inserts, replaces and removes list items', () => {
    const appended = patched(pod, [
      { op: 'add', path: '/spec/containers/-', value: { name: 'log', ports: [{ containerPort: 80 }] } },
    ])
    expect(appended).toBe(`${pod}    - name: log\n      ports:\n        - containerPort: 80\n`)
    const inserted = patched(pod, [{ op: 'add', path: '/spec/containers/1', value: { name: 'init' } }])
    expect(inserted).toBe(pod.replace('    - name: sidecar', '    - name: init\n    - name: sidecar'))
    const replaced = patched(pod, [
      { op: 'replace', path: '/spec/containers/1', value: { name: 'other', image: 'redis' } },
    ])
    expect(replaced).toBe(pod.replace('- name: sidecar\n      image: busybox', '- name: other\n      image: redis'))
    const removed = patched(pod, [{ op: 'remove', path: '/spec/containers/1' }])
    expect(removed).toBe(pod.replace('    - name: sidecar\n      image: busybox\n', ''))
  })

  it('fills an empty document', () => {
    expect(patched('kind: A\n---\n', [{ op: 'add', path: '/metadata/name', value: 'x' }], 1)).toBe(
      'kind: A\n---\nmetadata:\n  name: x\n',
    )
  })

  it('lays out new lists like the lists already in the file', () => {
    const compact = 'spec:\n  containers:\n  - name: a\n'
    expect(patched(compact, [{ op: 'add', path: '/spec/volumes', value: [{ name: 'v' }] }])).toBe(
      `${compact}  volumes:\n  - name: v\n`,
    )
  })
})

describe('applyPatch in flow style', () => {
  it('adds, replaces and removes entries of a flow mapping', () => {
    expect(patched(pod, [{ op: 'add', path: '/metadata/labels/team', value: 'on' }])).toBe(
      pod.replace('{app: web, tier: front}', '{app: web, tier: front, team: "on"}'),
    )
    expect(patched(pod, [{ op: 'replace', path: '/metadata/labels/app', value: 'api' }])).toBe(
      pod.replace('{app: web,', '{app: api,'),
    )
    expect(patched(pod, [{ op: 'remove', path: '/metadata/labels/app' }])).toBe(
      pod.replace('{app: web, tier: front}', '{tier: front}'),
    )
    expect(patched(pod, [{ op: 'remove', path: '/metadata/labels/tier' }])).toBe(
      pod.replace('{app: web, tier: front}', '{app: web}'),
    )
  })

  it('adds, replaces and removes items of a flow list', () => {
    expect(patched(pod, [{ op: 'add', path: '/spec/containers/0/args/-', value: '--debug' }])).toBe(
      pod.replace('[--port, "8080"]', '[--port, "8080", --debug]'),
    )
    expect(patched(pod, [{ op: 'add', path: '/spec/containers/0/args/0', value: 'run' }])).toBe(
      pod.replace('[--port, "8080"]', '[run, --port, "8080"]'),
    )
    expect(patched(pod, [{ op: 'replace', path: '/spec/containers/0/args/1', value: '9090' }])).toBe(
      pod.replace('"8080"', '"9090"'),
    )
    // Not idempotent by nature: after the remove, /args/0 names the next item.
    expect(applyPatch(pod, 0, [{ op: 'remove', path: '/spec/containers/0/args/0' }])).toBe(
      pod.replace('[--port, "8080"]', '["8080"]'),
    )
  })

  it('fills empty flow collections', () => {
    const text = 'a: {}\nb: []\n'
    expect(
      patched(text, [
        { op: 'add', path: '/a/x', value: 1 },
        { op: 'add', path: '/b/-', value: { z: [1] } },
      ]),
    ).toBe('a: {x: 1}\nb: [{z: [1]}]\n')
  })
})

describe('applyPatch keeps everything else', () => {
  it('changes only the chosen document of a multi-document file', () => {
    const text = `${pod}---\n# second\nkind: ConfigMap\ndata: {a: "1"}\n---\nkind: Other\n`
    const out = patched(text, [{ op: 'add', path: '/data/b', value: '0644' }], 1)
    expect(out).toBe(text.replace('data: {a: "1"}', 'data: {a: "1", b: "0644"}'))
    expect(valueOf(out, 1)).toEqual({ kind: 'ConfigMap', data: { a: '1', b: '0644' } })
  })

  it('writes the line endings of the file', () => {
    const text = 'a:\r\n  b: 1\r\n'
    expect(patched(text, [{ op: 'add', path: '/a/c', value: { d: [1, 2] } }])).toBe(
      'a:\r\n  b: 1\r\n  c:\r\n    d:\r\n      - 1\r\n      - 2\r\n',
    )
  })

  it('quotes strings that kubectl would otherwise read as something else', () => {
    const values = [
      'yes',
      'n',
      '0644',
      '0O17',
      '1.0',
      '12:30',
      '~',
      '',
      ' padded',
      'a: b',
      '#x',
      '- x',
      '<<',
      'multi\nline',
      'ok',
    ]
    const out = patched(
      'a: 1\n',
      values.map((value, i) => ({ op: 'add', path: `/k${i}`, value })),
    )
    expect(valueOf(out)).toEqual(Object.fromEntries([['a', 1], ...values.map((value, i) => [`k${i}`, value])]))
    expect(out).toContain('k14: ok\n')
  })

  it('adds a key that a merge provides as an explicit override', () => {
    const text = 'base: &b\n  x: 1\napp:\n  <<: *b\n'
    expect(valueOf(patched(text, [{ op: 'add', path: '/app/x', value: 2 }]))).toEqual({ base: { x: 1 }, app: { x: 2 } })
  })

  it('keeps the value of a neighbouring block scalar, trailing lines and all', () => {
    const text = 'data:\n  keep: |+\n    line\n\n  clip: |\n    line\n\n'
    const out = patched(text, [{ op: 'add', path: '/data/next', value: 1 }])
    expect(valueOf(out)).toEqual({ data: { keep: 'line\n\n', clip: 'line\n', next: 1 } })
  })

  it('is a no-op for an add or replace already applied, a remove of a missing path, an append of a present item', () => {
    expect(applyPatch(pod, 0, [{ op: 'replace', path: '/kind', value: 'Pod' }])).toBe(pod)
    expect(applyPatch(pod, 0, [{ op: 'add', path: '/metadata/labels/app', value: 'web' }])).toBe(pod)
    expect(applyPatch(pod, 0, [{ op: 'remove', path: '/spec/hostNetwork' }])).toBe(pod)
    expect(applyPatch(pod, 0, [{ op: 'add', path: '/spec/containers/0/args/-', value: '--port' }])).toBe(pod)
  })

  it('keeps every byte outside the edit for any added value', () => {
    const value = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown)
    fc.assert(
      fc.property(
        value,
        fc.constantFrom('/spec/extra', '/metadata/labels/extra', '/spec/containers/1/extra', '/spec/containers/-'),
        (v, path) => {
          const out = applyPatch(pod, 0, [{ op: 'add', path, value: v }])
          const { documents } = parseManifests(out, 'p.yaml')
          expect(documents).toHaveLength(1)
          let start = 0
          while (start < pod.length && pod[start] === out[start]) start++
          let end = 0
          while (end < pod.length - start && pod[pod.length - 1 - end] === out[out.length - 1 - end]) end++
          // One contiguous insertion: the original text is the prefix and suffix around it.
          expect(start + end).toBeGreaterThanOrEqual(pod.length)
        },
      ),
      { numRuns: 150 },
    )
  })
})

describe('applyPatch errors', () => {
  const codeOf = (run: () => unknown) => {
    try {
      run()
    } catch (error) {
      return error instanceof ToolError ? error.code : 'not a ToolError'
    }
    return 'no error'
  }

  it.each<[string, PatchOperation]>([
    ['replace of a missing key', { op: 'replace', path: '/spec/nothing', value: 1 }],
    ['replace of a missing item', { op: 'replace', path: '/spec/containers/5', value: 1 }],
    ['add below a scalar', { op: 'add', path: '/kind/x', value: 1 }],
    ['add past the end of a list', { op: 'add', path: '/spec/containers/9', value: {} }],
    ['add into a list by a missing parent', { op: 'add', path: '/spec/containers/9/x', value: {} }],
    ['path that is not a pointer', { op: 'add', path: 'spec', value: {} }],
    ['remove of the whole document', { op: 'remove', path: '' }],
  ])('refuses a %s', (_name, operation) => {
    expect(codeOf(() => applyPatch(pod, 0, [operation]))).toBe('RESOURCE_INVALID')
  })

  it('refuses a change through an alias or a merge source, which would change other places too', () => {
    const text = 'base: &b\n  limits: {cpu: 1}\na:\n  res: *b\nc:\n  <<: *b\n'
    expect(codeOf(() => applyPatch(text, 0, [{ op: 'add', path: '/a/res/limits/memory', value: 1 }]))).toBe(
      'RESOURCE_INVALID',
    )
    expect(codeOf(() => applyPatch(text, 0, [{ op: 'replace', path: '/c/limits/cpu', value: 2 }]))).toBe(
      'RESOURCE_INVALID',
    )
    expect(codeOf(() => applyPatch(text, 0, [{ op: 'remove', path: '/c/limits' }]))).toBe('RESOURCE_INVALID')
    expect(codeOf(() => applyPatch(text, 0, [{ op: 'replace', path: '/base/limits/cpu', value: 2 }]))).toBe(
      'RESOURCE_INVALID',
    )
    expect(applyPatch(text, 0, [{ op: 'add', path: '/c/extra', value: 2 }])).toBe(`${text}  extra: 2\n`)
  })

  it('refuses a document that does not parse or does not exist', () => {
    expect(codeOf(() => applyPatch('a: [\n', 0, [{ op: 'add', path: '/b', value: 1 }]))).toBe('YAML_SYNTAX')
    expect(codeOf(() => applyPatch(pod, 3, [{ op: 'add', path: '/b', value: 1 }]))).toBe('YAML_SYNTAX')
  })
})
