import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-service-external-ips',
  title: 'Services must not set externalIPs',
  summary: 'Forbid spec.externalIPs on Services.',
  rationale:
    "Any user who can create a Service with externalIPs makes kube-proxy capture traffic the cluster sends to those addresses (CVE-2020-8554): a man-in-the-middle on other tenants' or external endpoints.",
  remediation:
    'Remove externalIPs and publish the service through a LoadBalancer or Ingress; block the field cluster-wide with the DenyServiceExternalIPs admission plugin.',
  severity: 'high',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/separation' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.2.1' },
    { framework: 'nist', control: 'SC-7' },
    { framework: 'nist', control: 'SC-8' },
  ],
  messages: {
    externalIps: 'Service "{{name}}" sets externalIPs ({{ips}}), which intercepts cluster traffic to those addresses.',
  },
  match: { kinds: ['/Service'] },
  rules: [
    {
      messageId: 'externalIps',
      path: '/spec/externalIPs',
      expression: 'size(object.spec.?externalIPs.orValue([])) == 0',
      data: { name: 'object.metadata.name', ips: "object.spec.externalIPs.join(', ')" },
    },
  ],
})
