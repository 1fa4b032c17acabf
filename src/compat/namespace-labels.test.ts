import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../core/index.js'
import { createJmespath, defaultHooks, toCompiledPolicies } from './index.js'
import { objects, policyOf } from './test-helpers.test-support.js'

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8snolatest
spec:
  crd:
    spec:
      names:
        kind: K8sNoLatest
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "variables.anyObject.spec.containers.all(c, !c.image.endsWith(':latest'))"
                message: "latest tag"
`
const constraint = (selector: string): string => `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sNoLatest
metadata:
  name: no-latest
spec:
  match:
    kinds: [{apiGroups: [""], kinds: ["Pod"]}]
    namespaceSelector:
${selector}
`
const pod = (namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace },
  spec: { containers: [{ name: 'c', image: 'nginx:latest' }] },
})

/** Finding statuses of a policy over objects scanned together, per object. */
function scan(policyYaml: string, scanned: KubeObject[]): (string | undefined)[] {
  const [policy] = toCompiledPolicies([policyOf(policyYaml)], {
    jp: createJmespath(() => new Date('2026-01-01T00:00:00Z')),
    hooks: defaultHooks(),
  })
  const outcomes = policy?.evaluateAll?.(
    scanned,
    scanned.map(() => undefined),
  )
  return scanned.map((_, i) => outcomes?.get(i)?.status)
}

describe('the namespace labels a scan gives selectors', () => {
  it('include kubernetes.io/metadata.name, as the API server sets on every Namespace', () => {
    const only = `${TEMPLATE}---\n${constraint('      matchLabels: {kubernetes.io/metadata.name: team-a}')}`
    // No Namespace object among the scanned ones: the label still names the namespace.
    expect(scan(only, [pod('team-a'), pod('team-b')])).toEqual(['fail', undefined])
    const notSystem = `${TEMPLATE}---\n${constraint(
      '      matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}]',
    )}`
    expect(scan(notSystem, [pod('kube-system'), pod('web')])).toEqual([undefined, 'fail'])
  })

  it("keep the Namespace's own labels beside it", () => {
    const ns = objects('apiVersion: v1\nkind: Namespace\nmetadata: {name: web, labels: {tier: front}}')[0] as KubeObject
    const both = `${TEMPLATE}---\n${constraint('      matchLabels: {tier: front, kubernetes.io/metadata.name: web}')}`
    expect(scan(both, [pod('web'), ns, pod('other')])).toEqual(['fail', undefined, undefined])
  })
})
