import { describe, expect, it } from 'vitest'
import { objects, policyOf, run } from '../test-helpers.test-support.js'

describe('NamespacedValidatingPolicy', () => {
  it('applies only to resources of its own namespace', () => {
    const policy = policyOf(`apiVersion: policies.kyverno.io/v1beta1
kind: NamespacedValidatingPolicy
metadata: {name: p, namespace: team-a}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
  validations:
  - {expression: "false", message: never}
`)
    const [inside, outside] = objects(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: team-a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: team-b}\n',
    ) as [Record<string, unknown>, Record<string, unknown>]
    expect(run(policy, inside).responses.map((r) => r.status)).toEqual(['fail'])
    expect(run(policy, outside).responses).toEqual([])
  })
})
