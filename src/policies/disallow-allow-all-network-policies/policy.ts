import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-allow-all-network-policies',
  title: 'NetworkPolicies must not contain allow-all rules',
  summary: 'Forbid an ingress or egress rule with neither peers nor ports, which allows all traffic in that direction.',
  rationale:
    "An empty rule ({}) matches every peer on every port: it silently cancels the namespace's default deny for the selected pods, usually left behind from debugging.",
  remediation:
    'Replace the empty rule with the peers (podSelector, namespaceSelector, ipBlock) and ports the pods need.',
  severity: 'medium',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/network-policies' },
    { framework: 'cis', control: '5.3.2' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.2.1' },
    { framework: 'nist', control: 'AC-4' },
    { framework: 'nist', control: 'SC-7' },
  ],
  messages: {
    allowAll:
      'NetworkPolicy "{{name}}" has an {{direction}} rule without peers or ports: it allows all {{direction}} traffic.',
  },
  match: { kinds: ['networking.k8s.io/NetworkPolicy'] },
  rules: [
    {
      messageId: 'allowAll',
      forEach: { paths: ['/spec/ingress'], as: 'rule' },
      expression: 'size(rule.?from.orValue([])) > 0 || size(rule.?ports.orValue([])) > 0',
      data: { name: 'object.metadata.name', direction: '"ingress"' },
    },
    {
      messageId: 'allowAll',
      forEach: { paths: ['/spec/egress'], as: 'rule' },
      expression: 'size(rule.?to.orValue([])) > 0 || size(rule.?ports.orValue([])) > 0',
      data: { name: 'object.metadata.name', direction: '"egress"' },
    },
  ],
})
