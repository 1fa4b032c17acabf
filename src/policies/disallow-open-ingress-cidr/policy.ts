import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-open-ingress-cidr',
  title: 'NetworkPolicies must not allow ingress from any address',
  summary: 'Forbid ipBlock cidr 0.0.0.0/0 and ::/0 in NetworkPolicy ingress rules.',
  rationale:
    'An ipBlock of 0.0.0.0/0 or ::/0 turns a NetworkPolicy into an allow-all for ingress traffic: the pods it selects accept connections from anywhere on the internet that can route to the cluster.',
  remediation:
    'List the CIDRs of the actual sources, or route the traffic through a gateway or proxy with its own policy.',
  severity: 'medium',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/network-policies' },
    { framework: 'cis', control: '5.3.2' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.3.1' },
    { framework: 'nist', control: 'SC-7' },
    { framework: 'nist', control: 'AC-4' },
  ],
  messages: {
    open: 'NetworkPolicy "{{name}}" allows ingress from any address ({{cidr}}).',
  },
  match: { kinds: ['networking.k8s.io/NetworkPolicy'] },
  forEach: { paths: ['/spec/ingress'], as: 'rule' },
  rules: [
    {
      messageId: 'open',
      forEach: { paths: ['/from'], as: 'peer' },
      path: '/ipBlock/cidr',
      expression: "!(peer.?ipBlock.?cidr.orValue('') in ['0.0.0.0/0', '::/0'])",
      data: { name: 'object.metadata.name', cidr: 'peer.ipBlock.cidr' },
    },
  ],
})
