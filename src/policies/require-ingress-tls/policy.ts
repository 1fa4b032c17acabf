import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-ingress-tls',
  title: 'Ingresses must terminate TLS for every host',
  summary:
    'Require spec.tls on an Ingress, with every rule host covered by a TLS entry (wildcard certificates included).',
  rationale:
    'Without TLS, credentials, session cookies and data cross the network in clear text and can be read or altered by anyone on the path.',
  remediation:
    'Add spec.tls with the hosts and a Secret holding the certificate (cert-manager can issue and renew it); redirect HTTP to HTTPS.',
  severity: 'high',
  category: 'network',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/tls' },
    { framework: 'soc2', control: 'CC6.7' },
    { framework: 'pci', control: '4.2.1' },
    { framework: 'nist', control: 'SC-8' },
    { framework: 'nist', control: 'SC-13' },
  ],
  messages: {
    noTls: 'Ingress "{{name}}" has no TLS configuration: its traffic is served over plain HTTP.',
    hostNotCovered: 'Ingress "{{name}}" serves host {{host}} without a TLS entry for it.',
  },
  match: { kinds: ['Ingress'] },
  rules: [
    {
      messageId: 'noTls',
      path: '/spec',
      expression: 'size(object.spec.?tls.orValue([])) > 0',
      data: { name: 'object.metadata.name' },
    },
    {
      messageId: 'hostNotCovered',
      forEach: { paths: ['/spec/rules'], as: 'r' },
      path: '/host',
      expression:
        "size(object.spec.?tls.orValue([])) == 0 || r.?host.orValue('') == '' || object.spec.tls.exists(t, t.?hosts.orValue([]).exists(h, h == r.host || (h.startsWith('*.') && r.host.endsWith(h.substring(1)) && r.host.indexOf('.') == r.host.size() - h.size() + 1)))",
      data: { name: 'object.metadata.name', host: 'r.host' },
    },
  ],
})
