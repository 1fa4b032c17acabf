import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-open-egress-cidr',
  title: 'NetworkPolicies must not allow egress to any address',
  summary: 'Forbid ipBlock cidr 0.0.0.0/0 and ::/0 in NetworkPolicy egress rules.',
  rationale:
    'An ipBlock of 0.0.0.0/0 or ::/0 turns a NetworkPolicy into an allow-all for egress traffic: the pods it selects can send data anywhere: exfiltration and command-and-control traffic leave without hindrance.',
  remediation:
    'List the CIDRs of the actual destinations, or route the traffic through a gateway or proxy with its own policy.',
  severity: 'medium',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/network-policies' },
    { framework: 'cis', control: '5.3.2' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.3.2' },
    { framework: 'nist', control: 'SC-7' },
    { framework: 'nist', control: 'AC-4' },
  ],
  messages: {
    open: 'NetworkPolicy "{{name}}" allows egress to any address ({{cidr}}).',
  },
  match: { kinds: ['networking.k8s.io/NetworkPolicy'] },
  forEach: { paths: ['/spec/egress'], as: 'rule' },
  rules: [
    {
      messageId: 'open',
      forEach: { paths: ['/to'], as: 'peer' },
      path: '/ipBlock/cidr',
      expression: "!(peer.?ipBlock.?cidr.orValue('') in ['0.0.0.0/0', '::/0'])",
      data: { name: 'object.metadata.name', cidr: 'peer.ipBlock.cidr' },
    },
  ],
})
