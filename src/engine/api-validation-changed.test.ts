import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { KubeObject, PatchOperation } from '../core/index.js'
import { apiServerProblems, apiServerProblemsChangedFrom } from './api-validation.js'
import { applyFixOperations } from './fix.js'

/** Settings that make problems (and some that do not), at pod and container level. */
const securityContext = fc.record(
  {
    runAsUser: fc.constantFrom(0, 1000, -1),
    runAsNonRoot: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    privileged: fc.boolean(),
    seccompProfile: fc.constantFrom({ type: 'RuntimeDefault' }, { type: 'Localhost' }, { type: 'Bad' }),
    appArmorProfile: fc.constantFrom({ type: 'Unconfined' }, { type: 'RuntimeDefault' }),
  },
  { requiredKeys: [] },
)
const container = fc.record({
  name: fc.constantFrom('a', 'b'),
  image: fc.constantFrom('x:1', ' x:1'),
  securityContext,
})
const workload = fc.record({
  podSc: fc.option(securityContext, { nil: undefined }),
  os: fc.constantFrom(undefined, 'linux', 'windows'),
  containers: fc.array(container, { minLength: 1, maxLength: 3 }),
  annotated: fc.boolean(),
  deployment: fc.boolean(),
})
const operation: fc.Arbitrary<PatchOperation> = fc.oneof(
  fc.record({
    op: fc.constant('add' as const),
    path: fc.constantFrom('/spec/containers/0/securityContext', '/spec/securityContext', '/spec/containers/1/image'),
    value: securityContext,
  }),
  fc.record({
    op: fc.constant('add' as const),
    path: fc.constantFrom(
      '/spec/containers/0/securityContext/runAsUser',
      '/spec/containers/1/securityContext/runAsUser',
      '/spec/securityContext/runAsUser',
    ),
    value: fc.constantFrom(0, 1000),
  }),
  fc.record({ op: fc.constant('add' as const), path: fc.constant('/spec/containers/0'), value: container }),
  fc.record({ op: fc.constant('remove' as const), path: fc.constantFrom('/spec/containers/0', '/spec/os') }),
  fc.record({
    op: fc.constant('add' as const),
    path: fc.constant('/spec/os'),
    value: fc.constant({ name: 'windows' }),
  }),
)

function build(w: {
  podSc: Record<string, unknown> | undefined
  os: string | undefined
  containers: Record<string, unknown>[]
  annotated: boolean
  deployment: boolean
}): { object: KubeObject; prefix: string } {
  const spec = {
    ...(w.podSc ? { securityContext: w.podSc } : {}),
    ...(w.os ? { os: { name: w.os } } : {}),
    containers: w.containers,
  }
  const metadata = {
    name: 'p',
    ...(w.annotated ? { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'runtime/default' } } : {}),
  }
  if (!w.deployment) return { object: { apiVersion: 'v1', kind: 'Pod', metadata, spec }, prefix: '' }
  return {
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { metadata, spec } },
    },
    prefix: '/spec/template',
  }
}

describe('apiServerProblemsChangedFrom', () => {
  it('adds to the problems `before` had exactly what apiServerProblems of the fixed copy adds', () => {
    fc.assert(
      fc.property(workload, fc.array(operation, { minLength: 1, maxLength: 3 }), (w, ops) => {
        const { object, prefix } = build(w)
        const patch = ops.map((op) => ({ ...op, path: prefix + op.path }))
        const after = applyFixOperations(object, patch)
        const had = new Set(apiServerProblems(object))
        const added = apiServerProblems(after).filter((p) => !had.has(p))
        expect(apiServerProblemsChangedFrom(after, object).filter((p) => !had.has(p))).toEqual(added)
      }),
      { numRuns: 3000 },
    )
  })

  it('checks a shared container again when it moved to another place', () => {
    const c = { name: 'a', image: 'x:1', securityContext: { runAsNonRoot: true, runAsUser: 0 } }
    const before: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [c] } }
    const after = applyFixOperations(before, [{ op: 'add', path: '/spec/containers/0', value: { name: 'b' } }])
    expect(apiServerProblemsChangedFrom(after, before)).toEqual([
      '/spec/containers/1/securityContext: runAsNonRoot is true and runAsUser is 0; the kubelet will not start the container',
    ])
    expect(apiServerProblemsChangedFrom(before, before)).toEqual([])
  })
})
