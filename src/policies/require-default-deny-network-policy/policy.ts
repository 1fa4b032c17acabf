import { isRecord, type KubeObject } from '../../core/index.js'
import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { groupOf, kindOf, mayRunPods, nameOf, namespaceOf, podViewOf } from '../resource-index/index.js'
import { identityPart, podPart, withFields } from '../resource-index/parts.js'

type Direction = 'Ingress' | 'Egress'

/** A NetworkPolicy that selects every pod and allows nothing in the direction. */
function deniesAll(policy: KubeObject, direction: Direction): boolean {
  const spec = isRecord(policy.spec) ? policy.spec : {}
  const selector = isRecord(spec.podSelector) ? spec.podSelector : {}
  const selectsAll = Object.values(selector).every(
    (v) => v === null || (Array.isArray(v) ? v.length === 0 : isRecord(v) && Object.keys(v).length === 0),
  )
  // Without policyTypes, a policy is an Ingress policy, and an Egress one only if it has egress rules.
  const types = Array.isArray(spec.policyTypes)
    ? spec.policyTypes
    : Array.isArray(spec.egress)
      ? ['Ingress', 'Egress']
      : ['Ingress']
  const rules = direction === 'Ingress' ? spec.ingress : spec.egress
  return (
    selectsAll &&
    types.includes(direction) &&
    (rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0))
  )
}

export default definePolicy({
  id: 'require-default-deny-network-policy',
  title: 'Namespaces with workloads must have a default-deny NetworkPolicy',
  summary:
    'Require, in every namespace that runs workloads in the scan, a NetworkPolicy that selects all pods and allows no ingress (and no egress with the egress parameter).',
  rationale:
    'Kubernetes networking is allow-all until a policy selects a pod. Without a default deny, a compromised pod reaches every other pod and service in the cluster, and every new workload starts out exposed.',
  remediation:
    'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] (and Egress) and no rules to the namespace, then allow the flows each workload needs with specific policies.',
  severity: 'medium',
  category: 'network',
  sets: ['best-practices'],
  namespaceDependent: true,
  controls: [
    { framework: 'cis', control: '5.3.2' },
    { framework: 'nsa', control: 'network/network-policies' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.2.1' },
    { framework: 'pci', control: '1.3.1' },
    { framework: 'nist', control: 'AC-4' },
    { framework: 'nist', control: 'SC-7' },
  ],
  params: {
    egress: { description: 'Also require a default-deny Egress policy.', default: false },
  },
  messages: {
    missing: 'Namespace "{{namespace}}" runs workloads but has no default-deny {{direction}} NetworkPolicy.',
    missingUnnamespaced:
      'These manifests run workloads without a namespace, and none of the NetworkPolicies without a namespace is a default-deny {{direction}} policy for wherever they are deployed.',
  },
  match: { kinds: ['Namespace', 'networking.k8s.io/NetworkPolicy', 'Pod'], includePodTemplates: true },
  // Cross-resource: which namespaces run pods, and which have a deny-all policy, over the whole scan.
  // What checkAll reads: Namespaces, a NetworkPolicy's spec, and which namespaces run pods.
  reads: (o) =>
    kindOf(o) === 'Namespace' && groupOf(o) === ''
      ? identityPart(o)
      : kindOf(o) === 'NetworkPolicy' && groupOf(o) === 'networking.k8s.io'
        ? withFields(o, ['spec'])
        : podPart(o, []),
  // Of the workloads of a namespace, checkAll reads only the first (where it reports when the Namespace is not in the scan).
  partRole: (part) =>
    (kindOf(part) === 'Namespace' && groupOf(part) === '') ||
    (kindOf(part) === 'NetworkPolicy' && groupOf(part) === 'networking.k8s.io') ||
    !podViewOf(part)
      ? undefined
      : { first: namespaceOf(part) ?? '' },
  headerRole: (h) =>
    (kindOf(h) === 'Namespace' && groupOf(h) === '') ||
    (kindOf(h) === 'NetworkPolicy' && groupOf(h) === 'networking.k8s.io')
      ? 'part'
      : mayRunPods(h)
        ? { first: namespaceOf(h) ?? '' }
        : 'none',
  checkAll: (objects, { params }) => {
    const directions: Direction[] = params.egress === true ? ['Ingress', 'Egress'] : ['Ingress']
    // Manifests without a namespace land together in the deployer's target namespace: group them under ''.
    const covered = new Map<Direction, Set<string>>(directions.map((d) => [d, new Set()]))
    const namespaceObjects = new Map<string, number>()
    const firstWorkload = new Map<string, number>()
    objects.forEach((o, index) => {
      const ns = namespaceOf(o) ?? ''
      if (kindOf(o) === 'Namespace' && groupOf(o) === '') namespaceObjects.set(nameOf(o), index)
      else if (kindOf(o) === 'NetworkPolicy' && groupOf(o) === 'networking.k8s.io') {
        for (const d of directions) if (deniesAll(o, d)) covered.get(d)?.add(ns)
      } else if (podViewOf(o) && !firstWorkload.has(ns)) firstWorkload.set(ns, index)
    })
    const out: (NativeViolation & { index: number })[] = []
    for (const [namespace, workload] of firstWorkload) {
      const nsIndex = namespaceObjects.get(namespace)
      for (const direction of directions) {
        if (covered.get(direction)?.has(namespace)) continue
        // Report on the Namespace when it is in the scan, else on the first workload in it.
        if (namespace === '')
          out.push({ index: workload, messageId: 'missingUnnamespaced', path: '/metadata', data: { direction } })
        else if (nsIndex === undefined)
          out.push({
            index: workload,
            messageId: 'missing',
            path: '/metadata/namespace',
            data: { namespace, direction },
          })
        else out.push({ index: nsIndex, messageId: 'missing', path: '/metadata/name', data: { namespace, direction } })
      }
    }
    return out
  },
})
