import { ALL_CONTAINERS, definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-privilege-escalation',
  title: 'Containers must not allow privilege escalation',
  summary: 'Require securityContext.allowPrivilegeEscalation: false on every container.',
  rationale:
    'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid binaries or file capabilities (no_new_privs is not set).',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  severity: 'medium',
  category: 'pod-security',
  sets: ['pss-restricted'],
  controls: [
    { framework: 'pss', control: 'restricted/allowPrivilegeEscalation' },
    { framework: 'cis', control: '5.2.6' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-6(10)' },
  ],
  messages: {
    allowed: 'Container "{{name}}" does not set securityContext.allowPrivilegeEscalation: false.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ALL_CONTAINERS, as: 'c' },
  rules: [
    {
      messageId: 'allowed',
      path: '/securityContext/allowPrivilegeEscalation',
      expression: 'c.?securityContext.?allowPrivilegeEscalation.orValue(true) == false',
      data: { name: 'c.name' },
      // no_new_privs only breaks setuid binaries, which containers should not rely on.
      fix: { safety: 'safe', patch: [{ op: 'add', path: '/securityContext/allowPrivilegeEscalation', value: false }] },
    },
  ],
})
