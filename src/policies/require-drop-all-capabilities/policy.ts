import { ALL_CONTAINERS, definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-drop-all-capabilities',
  title: 'Containers must drop all capabilities and add back only NET_BIND_SERVICE',
  summary: 'Require capabilities.drop to include ALL and capabilities.add to hold nothing but NET_BIND_SERVICE (Pod Security Standards restricted).',
  rationale:
    'The runtime default capability set still includes powers most applications never use (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW...). Dropping them all limits what an attacker can do inside a compromised container.',
  remediation: 'Add `capabilities: { drop: [ALL] }` to each container securityContext; add back NET_BIND_SERVICE only if the process binds a port below 1024.',
  severity: 'medium',
  category: 'pod-security',
  sets: ['pss-restricted'],
  controls: [
    { framework: 'pss', control: 'restricted/capabilities_restricted' },
    { framework: 'cis', control: '5.2.10' },
    { framework: 'cis', control: '5.2.8' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    notDropped: 'Container "{{name}}" does not drop ALL capabilities.',
    added: 'Container "{{name}}" adds capability {{capability}}; only NET_BIND_SERVICE may be added.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ALL_CONTAINERS, as: 'c' },
  rules: [
    {
      messageId: 'notDropped',
      path: '/securityContext/capabilities/drop',
      expression: '"ALL" in c.?securityContext.?capabilities.?drop.orValue([])',
      data: { name: 'c.name' },
      fix: { safety: 'unsafe', patch: [{ op: 'add', path: '/securityContext/capabilities/drop/-', value: 'ALL' }] },
    },
    {
      messageId: 'added',
      forEach: { paths: ['/securityContext/capabilities/add'], as: 'cap' },
      expression: 'cap == "NET_BIND_SERVICE"',
      data: { name: 'c.name', capability: 'cap' },
    },
  ],
})
