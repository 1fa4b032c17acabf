import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../core/index.js'
import { createJmespath, defaultHooks, toCompiledPolicies } from './index.js'
import { indexObjects } from './object-index.js'
import { policyOf } from './test-helpers.test-support.js'

const obj = (kind: unknown, name: unknown, namespace?: string, extra: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind,
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    ...extra,
  }) as KubeObject

describe('indexObjects', () => {
  it('finds the objects of a kind and name in run order, and nothing for others', () => {
    const a = obj('ConfigMap', 'c', 'x')
    const b = obj('ConfigMap', 'c', 'y')
    const index = indexObjects([obj('Secret', 'c', 'x'), a, obj('ConfigMap', 'd', 'x'), b])
    expect(index.named('ConfigMap', 'c')).toEqual([a, b])
    expect(index.named('ConfigMap', 'e')).toEqual([])
    expect(index.named('Pod', 'c')).toEqual([])
  })

  it('lists a kind in run order, and every object for the empty kind', () => {
    const all = [obj('Pod', 'a'), obj('Service', 'a'), obj('Pod', 'b')]
    const index = indexObjects(all)
    expect(index.ofKind('Pod').map((o) => (o.metadata as { name: string }).name)).toEqual(['a', 'b'])
    expect(index.ofKind('')).toBe(all)
  })

  it('skips objects without a string kind or name, unless nameOf names them', () => {
    const nameless = obj('Pod', 7)
    expect(indexObjects([nameless, obj(undefined, 'x')]).named('Pod', '7')).toEqual([])
    expect(indexObjects([obj(undefined, 'x')]).ofKind('undefined')).toEqual([])
    expect(indexObjects([nameless], (o) => String((o.metadata as { name: unknown }).name)).named('Pod', '7')).toEqual([
      nameless,
    ])
  })
})

const vap = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: team-of-namespace}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
  validations:
  - expression: "namespaceObject.metadata.labels.team == object.data.team"
    messageExpression: "'team ' + namespaceObject.metadata.labels.team"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: team-of-namespace}
spec: {policyName: team-of-namespace, validationActions: [Deny]}
`

describe('a scan finds the Namespace of each object through the run index', () => {
  it('objects in many namespaces each get their own Namespace', () => {
    const [policy] = toCompiledPolicies([policyOf(vap)], {
      jp: createJmespath(() => new Date('2026-01-01T00:00:00Z')),
      hooks: defaultHooks(),
    })
    const n = 40
    const namespaces = Array.from({ length: n }, (_, i) =>
      obj('Namespace', `ns-${i}`, undefined, { metadata: { name: `ns-${i}`, labels: { team: `t${i}` } } }),
    )
    // Every third ConfigMap claims the team of the next namespace, so it must fail with its own namespace's team.
    const maps = Array.from({ length: n }, (_, i) =>
      obj('ConfigMap', 'cm', `ns-${i}`, { data: { team: i % 3 === 0 ? `t${(i + 1) % n}` : `t${i}` } }),
    )
    const all = [...maps, ...namespaces]
    const out =
      policy?.evaluateAll?.(
        all,
        all.map(() => undefined),
      ) ?? new Map()
    for (let i = 0; i < n; i++) {
      const outcome = out.get(i)
      if (i % 3 === 0) {
        expect(outcome?.status).toBe('fail')
        expect(outcome?.violations[0]?.message).toContain(`team t${i}`)
      } else expect(outcome?.status ?? 'pass').toBe('pass')
    }
  })
})
