import { definePolicy } from '../../engine/index.js'
import { exemptParam, namespacesWithout, SYSTEM_NAMESPACES } from '../namespace-inventory/index.js'
import { kindOf } from '../resource-index/index.js'
import { identityPart } from '../resource-index/parts.js'

export default definePolicy({
  id: 'require-resource-quota',
  title: 'Namespaces must have a ResourceQuota',
  summary: 'Require a ResourceQuota in every Namespace declared in the scan (system namespaces exempt).',
  rationale:
    "Without a quota one namespace can claim all of the cluster's CPU, memory, storage or object counts: a runaway deployment or a compromised CI token starves every other tenant.",
  remediation:
    'Add a ResourceQuota to the namespace with limits on requests, limits, pods and PersistentVolumeClaims sized for the team.',
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
    exempt: { description: 'Namespaces that need no ResourceQuota.', default: SYSTEM_NAMESPACES },
  },
  messages: {
    missing: 'Namespace "{{name}}" has no ResourceQuota.',
  },
  match: { kinds: ['/Namespace', '/ResourceQuota'] },
  // What checkAll reads: the names and namespaces of Namespaces and ResourceQuotas.
  reads: (o) => (kindOf(o) === 'Namespace' || kindOf(o) === 'ResourceQuota' ? identityPart(o) : undefined),
  headerRole: (h) => (kindOf(h) === 'Namespace' || kindOf(h) === 'ResourceQuota' ? 'part' : 'none'),
  checkAll: (objects, { params }) => namespacesWithout(objects, 'ResourceQuota', exemptParam(params), 'missing'),
})
