import { ALL_CONTAINERS, definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-run-as-non-root',
  title: 'Containers must run as a non-root user',
  summary: 'Require securityContext.runAsNonRoot: true on the pod or on every container, and forbid setting it to false.',
  rationale:
    'A process running as UID 0 keeps root privileges on the node if it escapes the container, and can modify anything in its own file system.',
  remediation:
    'Set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser if the image has no numeric USER); build images that run as an unprivileged user.',
  severity: 'high',
  category: 'pod-security',
  sets: ['pss-restricted'],
  controls: [
    { framework: 'pss', control: 'restricted/runAsNonRoot' },
    { framework: 'cis', control: '5.2.7' },
    { framework: 'nsa', control: 'pod-security/non-root' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'pci', control: '7.2.5' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-6(10)' },
  ],
  messages: {
    podExplicitFalse: 'Pod sets securityContext.runAsNonRoot to false.',
    explicitFalse: 'Container "{{name}}" sets securityContext.runAsNonRoot to false.',
    missing: 'Container "{{name}}" may run as root: neither it nor the pod sets securityContext.runAsNonRoot: true.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  variables: [{ name: 'podNonRoot', expression: 'object.spec.?securityContext.?runAsNonRoot.orValue(false) == true' }],
  rules: [
    {
      messageId: 'podExplicitFalse',
      path: '/spec/securityContext/runAsNonRoot',
      expression: 'object.spec.?securityContext.?runAsNonRoot.orValue(true) == true',
    },
    {
      messageId: 'explicitFalse',
      forEach: { paths: ALL_CONTAINERS, as: 'c' },
      path: '/securityContext/runAsNonRoot',
      expression: 'c.?securityContext.?runAsNonRoot.orValue(true) == true',
      data: { name: 'c.name' },
    },
    {
      messageId: 'missing',
      forEach: { paths: ALL_CONTAINERS, as: 'c' },
      expression: 'variables.podNonRoot || c.?securityContext.?runAsNonRoot.hasValue()',
      data: { name: 'c.name' },
      fix: { safety: 'unsafe', patch: [{ op: 'add', path: '/securityContext/runAsNonRoot', value: true }] },
    },
  ],
})
