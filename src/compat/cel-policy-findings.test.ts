import { describe, expect, it } from 'vitest'
import { applyFixOperations } from '../engine/index.js'
import { createJmespath, defaultHooks, toCompiledPolicies } from './index.js'
import { objects, policyOf } from './test-helpers.test-support.js'

const scanWith = (
  policyYaml: string,
  resourcesYaml: string,
): ReturnType<NonNullable<ReturnType<typeof toCompiledPolicies>[number]['evaluateAll']>> => {
  const [policy] = toCompiledPolicies([policyOf(policyYaml)], {
    jp: createJmespath(() => new Date('2026-01-01T00:00:00Z')),
    hooks: defaultHooks(),
  })
  const resources = objects(resourcesYaml)
  return (
    policy?.evaluateAll?.(
      resources,
      resources.map(() => undefined),
    ) ?? new Map()
  )
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    spec:
      containers: [{name: app, image: nginx}]
`

describe('MutatingPolicy and GeneratingPolicy in a scan', () => {
  it('a mutation is a finding whose safe fix is the mutation', () => {
    const out = scanWith(
      `apiVersion: policies.kyverno.io/v1alpha1
kind: MutatingPolicy
metadata: {name: pull-always}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  mutations:
  - patchType: JSONPatch
    jsonPatch:
      expression: '[JSONPatch{op: "add", path: "/spec/template/spec/containers/0/imagePullPolicy", value: "Always"}]'
`,
      deployment,
    )
    const v = out.get(0)?.violations[0]
    expect(v).toMatchObject({
      status: 'fail',
      message: 'MutatingPolicy pull-always would change this resource (1 operation)',
      path: '/spec/template/spec/containers/0/imagePullPolicy',
    })
    expect(v?.fix).toEqual({
      safety: 'safe',
      patch: [{ op: 'add', path: '/spec/template/spec/containers/0/imagePullPolicy', value: 'Always' }],
    })
    const patched = applyFixOperations(objects(deployment)[0] as Record<string, unknown>, v?.fix?.patch ?? [])
    expect((patched.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers).toEqual([
      { name: 'app', image: 'nginx', imagePullPolicy: 'Always' },
    ])
  })

  it('a mutation that cannot be evaluated is an error finding; one that changes nothing is a pass', () => {
    const policy = (expression: string): string => `apiVersion: policies.kyverno.io/v1alpha1
kind: MutatingPolicy
metadata: {name: m}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  mutations:
  - patchType: ApplyConfiguration
    applyConfiguration: {expression: ${JSON.stringify(expression)}}
`
    expect(scanWith(policy('Object{spec: Object.spec{replicas: object.spec.nope}}'), deployment).get(0)).toMatchObject({
      status: 'error',
      violations: [{ status: 'error', message: expect.stringMatching(/no such key: nope/) as unknown }],
    })
    expect(scanWith(policy('Object{metadata: Object.metadata{name: "api"}}'), deployment).get(0)).toEqual({
      status: 'pass',
      violations: [],
    })
  })

  it('a GeneratingPolicy reports the objects it would generate, and writes nothing', () => {
    const out = scanWith(
      `apiVersion: policies.kyverno.io/v1alpha1
kind: GeneratingPolicy
metadata: {name: pdb}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  generate:
  - expression: 'generator.Apply(object.metadata.namespace, [{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": object.metadata.name}, "spec": {"minAvailable": 1}}])'
`,
      deployment,
    )
    expect(out.get(0)?.violations.map((v) => v.message)).toEqual(['would generate PodDisruptionBudget shop/api'])
  })
})
