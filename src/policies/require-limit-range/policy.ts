import { definePolicy } from '../../engine/index.js'
import { exemptParam, namespacesWithout, SYSTEM_NAMESPACES } from '../namespace-inventory/index.js'
import { kindOf } from '../resource-index/index.js'
import { identityPart } from '../resource-index/parts.js'

export default definePolicy({
  id: 'require-limit-range',
  title: 'Namespaces must have a LimitRange',
  summary: 'Require a LimitRange in every Namespace declared in the scan (system namespaces exempt).',
  rationale:
    "A LimitRange gives containers that declare no resources a default request and limit. Without it such pods are BestEffort and unbounded: one of them can exhaust a node's memory and have its neighbours killed.",
  remediation: 'Add a LimitRange with default and defaultRequest for cpu and memory (and a max) to the namespace.',
  severity: 'low',
  category: 'namespaces',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/resource-policies' },
    { framework: 'soc2', control: 'A1.1' },
    { framework: 'pci', control: '2.2.1' },
    { framework: 'nist', control: 'SC-5' },
    { framework: 'nist', control: 'SC-6' },
  ],
  params: {
    exempt: { description: 'Namespaces that need no LimitRange.', default: SYSTEM_NAMESPACES },
  },
  messages: {
    missing: 'Namespace "{{name}}" has no LimitRange.',
  },
  match: { kinds: ['/Namespace', '/LimitRange'] },
  // What checkAll reads: the names and namespaces of Namespaces and LimitRanges.
  reads: (o) => (kindOf(o) === 'Namespace' || kindOf(o) === 'LimitRange' ? identityPart(o) : undefined),
  headerRole: (h) => (kindOf(h) === 'Namespace' || kindOf(h) === 'LimitRange' ? 'part' : 'none'),
  checkAll: (objects, { params }) => namespacesWithout(objects, 'LimitRange', exemptParam(params), 'missing'),
})
