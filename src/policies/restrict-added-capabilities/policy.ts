import { ALL_CONTAINERS, definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'restrict-added-capabilities',
  title: 'Containers may add only the default Linux capabilities',
  summary: 'Allow capabilities.add only from the container runtime default set (Pod Security Standards baseline).',
  rationale:
    'Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE give a container powers close to root on the node: mounting file systems, changing routes, reading other processes.',
  remediation: 'Remove the extra entries from securityContext.capabilities.add; if the workload truly needs one, document it with a waiver.',
  severity: 'high',
  category: 'pod-security',
  sets: ['pss-baseline', 'pss-restricted'],
  controls: [
    { framework: 'pss', control: 'baseline/capabilities_baseline' },
    { framework: 'cis', control: '5.2.9' },
    { framework: 'cis', control: '5.2.8' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    added: 'Container "{{name}}" adds capability {{capability}}, which is not in the default set.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ALL_CONTAINERS, as: 'c' },
  params: {
    allowed: {
      description: 'Capabilities that may be added (the baseline default set; names without the CAP_ prefix, case-sensitive as Kubernetes compares them).',
      default: ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'],
    },
  },
  rules: [
    {
      messageId: 'added',
      forEach: { paths: ['/securityContext/capabilities/add'], as: 'cap' },
      expression: 'cap in params.allowed',
      data: { name: 'c.name', capability: 'cap' },
    },
  ],
})
