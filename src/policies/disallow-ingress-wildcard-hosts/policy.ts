import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-ingress-wildcard-hosts',
  title: 'Ingress rules must name a specific host',
  summary: 'Forbid Ingress rules without a host or with a wildcard host.',
  rationale:
    "A rule without a host, or with a wildcard, catches requests for any name the ingress controller receives: traffic meant for another team's hostname, or a forgotten subdomain, lands in this service.",
  remediation: 'Set host on every rule to the exact DNS name the service answers.',
  severity: 'low',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/separation' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.2.1' },
    { framework: 'nist', control: 'SC-7' },
    { framework: 'nist', control: 'CM-6' },
  ],
  messages: {
    noHost: 'Ingress "{{name}}" has a rule without host: it answers for every hostname.',
    wildcardHost: 'Ingress "{{name}}" answers for the wildcard host {{host}}.',
  },
  match: { kinds: ['Ingress'] },
  forEach: { paths: ['/spec/rules'], as: 'r' },
  rules: [
    { messageId: 'noHost', expression: "r.?host.orValue('') != ''", data: { name: 'object.metadata.name' } },
    {
      messageId: 'wildcardHost',
      path: '/host',
      expression: "!r.?host.orValue('').startsWith('*')",
      data: { name: 'object.metadata.name', host: 'r.host' },
    },
  ],
})
