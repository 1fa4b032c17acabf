import { describe, expect, it } from 'vitest'
import { createResolver, defaultConfig, parseConfig, type PalisadeConfig } from '../config/index.js'
import { compilePolicySet } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { checkSources, exitCodeFor } from './index.js'

const { set } = compilePolicySet(
  BUILTIN_POLICIES.filter((p) => ['disallow-privileged-containers', 'disallow-host-namespaces'].includes(p.id)),
)
const today = new Date('2026-11-22T12:00:00Z')
const check = (files: Record<string, string>, config: PalisadeConfig = defaultConfig('.'), now = today) =>
  checkSources(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    { policies: set, resolver: createResolver(config, now), collectChecks: true },
  )
const configOf = (text: string) => {
  const { config, diagnostics } = parseConfig(text, 'palisade.yaml', '.')
  if (!config) throw new Error(diagnostics.map((d) => d.message).join())
  return config
}

const pod = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: apps\n${extra}spec:\n  hostPID: true\n  containers:\n    - name: c\n      image: c:1\n`

describe('checkSources', () => {
  it('flattens Lists, skips documents that are not Kubernetes objects, and locates findings in each', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: { name: in-list }\n    spec:\n      hostIPC: true\n      containers: []\n`
    const result = check({
      'list.yaml': list,
      'values.yaml': 'replicaCount: 2\nimage: { tag: latest }\n',
      'multi.yaml': `# first\n${pod('a')}---\n${pod('b')}`,
    })
    expect(result.findings.map((f) => [f.span?.file, f.span?.start.line, f.resource.name, f.path])).toEqual([
      ['list.yaml', 8, 'in-list', '/spec/hostIPC'],
      ['multi.yaml', 8, 'a', '/spec/hostPID'],
      ['multi.yaml', 19, 'b', '/spec/hostPID'],
    ])
    expect(result.summary.resources).toBe(3)
    expect(result.diagnostics).toEqual([])
  })

  it('warns about a kind without apiVersion instead of checking it', () => {
    const result = check({ 'broken.yaml': 'kind: Pod\nmetadata: { name: x }\nspec: { hostPID: true }\n' })
    expect(result.findings).toEqual([])
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'RESOURCE_INVALID',
        severity: 'warning',
        span: expect.objectContaining({ start: expect.objectContaining({ line: 1 }) }),
      }),
    ])
  })

  it('keeps going after a bad document and reports it with its line', () => {
    const result = check({ 'mixed.yaml': `${pod('good')}---\nkind: [broken\n---\n${pod('also-good')}` })
    expect(result.findings.map((f) => f.resource.name)).toEqual(['good', 'also-good'])
    expect(result.diagnostics[0]).toEqual(expect.objectContaining({ code: 'YAML_SYNTAX' }))
  })

  it('waives with an inline annotation that has a reason, and reports one without', () => {
    const waived = check({
      'p.yaml': pod('w', '  annotations:\n    waive.palisade.dev/disallow-host-namespaces: "node debugging, INC-42"\n'),
    })
    expect(waived.findings[0]?.waiver).toEqual({ source: 'annotation', reason: 'node debugging, INC-42' })
    expect(exitCodeFor(waived)).toBe(0)
    expect(waived.checks?.find((c) => c.policyId === 'disallow-host-namespaces')?.status).toBe('skip')
    const noReason = check({
      'p.yaml': pod('w', '  annotations:\n    waive.palisade.dev/disallow-host-namespaces: ""\n'),
    })
    expect(noReason.findings[0]?.waiver).toBeUndefined()
    expect(noReason.diagnostics).toEqual([
      expect.objectContaining({
        code: 'WAIVER_INVALID',
        span: expect.objectContaining({ start: expect.objectContaining({ line: 7 }) }),
      }),
    ])
    expect(exitCodeFor(noReason)).toBe(1)
  })

  it('applies configured waivers until they expire, then reports the expired waiver once', () => {
    const config = configOf(
      'waivers:\n  - policy: disallow-host-namespaces\n    resources: { namespace: apps }\n    reason: legacy agents need the host PID namespace\n    owner: sre@example.com\n    expires: "2026-12-01"\n',
    )
    const files = { 'a.yaml': pod('a'), 'b.yaml': pod('b') }
    const active = check(files, config)
    expect(active.findings.every((f) => f.waiver?.owner === 'sre@example.com')).toBe(true)
    expect(active.summary.waived).toBe(2)
    const expired = check(files, config, new Date('2026-12-02T00:00:00Z'))
    expect(expired.findings.every((f) => f.waiver === undefined)).toBe(true)
    expect(expired.diagnostics.filter((d) => d.code === 'WAIVER_EXPIRED')).toHaveLength(1)
    expect(exitCodeFor(expired)).toBe(1)
  })

  it('gives each finding the action of its file environment', () => {
    const config = configOf('environments:\n  - name: dev\n    paths: ["dev/**"]\n    actions: { default: warn }\n')
    const result = check({ 'dev/p.yaml': pod('d'), 'prod/p.yaml': pod('p') }, config)
    expect(result.findings.map((f) => [f.resource.name, f.environment, f.action])).toEqual([
      ['d', 'dev', 'warn'],
      ['p', undefined, 'deny'],
    ])
  })

  it('gives the same fingerprint when a resource moves, is reordered or renamed file', () => {
    const a = check({ 'a.yaml': `${pod('x')}---\n${pod('y')}` }).findings
    const b = check({ 'moved/b.yaml': `# moved\n\n${pod('y')}---\n${pod('x')}` }).findings
    expect(new Set(a.map((f) => f.fingerprint))).toEqual(new Set(b.map((f) => f.fingerprint)))
    expect(a[0]?.fingerprint).not.toBe(a[1]?.fingerprint)
  })
})
