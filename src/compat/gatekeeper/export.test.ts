import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../../core/index.js'
import { objects, run, statuses } from '../test-helpers.test-support.js'
import { loadPolicyDocuments } from '../index.js'
import { exportGatekeeperDocuments } from './export.js'

const template = (withCel: boolean): string => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sdenyhostnetwork
spec:
  crd:
    spec:
      names:
        kind: K8sDenyHostNetwork
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sdenyhostnetwork
        violation[{"msg": "host network"}] { input.review.object.spec.hostNetwork }
${
  withCel
    ? `      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "!has(variables.anyObject.spec.hostNetwork) || !variables.anyObject.spec.hostNetwork"
                message: host network
`
    : ''
}`
const constraint = (
  name: string,
  namespaces: string,
  action = 'warn',
): string => `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDenyHostNetwork
metadata:
  name: ${name}
spec:
  enforcementAction: ${action}
  match:
    kinds: [{apiGroups: [""], kinds: ["Pod"]}]
    namespaces: ${namespaces}
`
const pod = (hostNetwork: boolean, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace },
  spec: { hostNetwork, containers: [{ name: 'c', image: 'x' }] },
})

describe('palisade export vap for Gatekeeper templates', () => {
  it('writes a VAP with paramKind, a binding per constraint and the constraint as params, and the export runs with the same verdicts', () => {
    const docs = objects(`${template(true)}---\n${constraint('no-host-net', '["apps"]')}`)
    const out = exportGatekeeperDocuments(docs)
    expect(out.skipped).toEqual([])
    const exported = out.exported[0]?.objects ?? []
    expect(exported.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`)).toEqual([
      'ValidatingAdmissionPolicy/gatekeeper-k8sdenyhostnetwork',
      'ValidatingAdmissionPolicyBinding/gatekeeper-no-host-net',
      'K8sDenyHostNetwork/no-host-net',
    ])
    const binding = exported[1]?.spec as Record<string, unknown>
    expect(binding.validationActions).toEqual(['Warn'])
    expect(binding.matchResources).toMatchObject({
      resourceRules: [{ resources: ['pods'] }],
      namespaceSelector: {
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['apps'] }],
      },
    })
    // The API server labels every namespace with kubernetes.io/metadata.name.
    // The exported folder loads (the constraint is the VAP's params, not an orphan constraint) and denies the same pod.
    const loaded = loadPolicyDocuments(exported.map((object) => ({ object, file: 'out.yaml' })))
    expect(loaded.diagnostics).toEqual([])
    const vap = loaded.policies.find((p) => p.kind === 'ValidatingAdmissionPolicy')
    if (!vap) throw new Error('no VAP')
    expect(
      statuses(
        run(vap, pod(true, 'apps'), { objects: exported, namespaceLabels: { 'kubernetes.io/metadata.name': 'apps' } }),
      ),
    ).toEqual(['gatekeeper-no-host-net=fail'])
    expect(
      statuses(
        run(vap, pod(false, 'apps'), { objects: exported, namespaceLabels: { 'kubernetes.io/metadata.name': 'apps' } }),
      ),
    ).toEqual(['gatekeeper-no-host-net=pass'])
  })

  it('lists Rego-only templates and constraints whose match a binding cannot express', () => {
    const rego = exportGatekeeperDocuments(objects(template(false)))
    expect(rego.exported).toEqual([])
    expect(rego.skipped[0]?.reason).toMatch(/no K8sNativeValidation/)
    const glob = exportGatekeeperDocuments(objects(`${template(true)}---\n${constraint('globbed', '["team-*"]')}`))
    expect(glob.skipped).toEqual([{ id: 'K8sDenyHostNetwork/globbed', reason: expect.stringMatching(/glob/) }])
  })
})
