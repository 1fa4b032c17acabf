import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-nodeport-services',
  title: 'Services must not be of type NodePort',
  summary: 'Forbid Services with spec.type: NodePort.',
  rationale:
    'A NodePort opens the same port on every node of the cluster, on every node address, past any Ingress or load balancer controls: the service is reachable wherever the nodes are, and node firewall rules become the only protection.',
  remediation:
    'Use a ClusterIP Service behind an Ingress or a Gateway, or a LoadBalancer restricted with loadBalancerSourceRanges.',
  severity: 'medium',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/separation' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.3.1' },
    { framework: 'pci', control: '1.4.1' },
    { framework: 'nist', control: 'SC-7' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    nodePort: 'Service "{{name}}" is of type NodePort and listens on every node.',
  },
  match: { kinds: ['/Service'] },
  rules: [
    {
      messageId: 'nodePort',
      path: '/spec/type',
      expression: "object.spec.?type.orValue('ClusterIP') != 'NodePort'",
      data: { name: 'object.metadata.name' },
    },
  ],
})
