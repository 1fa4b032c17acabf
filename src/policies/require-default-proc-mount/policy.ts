import { definePssPolicy, unmaskedProcMounts } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'require-default-proc-mount',
  title: 'Containers must keep the default /proc masks, even in a user namespace',
  summary:
    'Forbid securityContext.procMount other than Default on every container (restricted, policy v1.35 and later).',
  rationale:
    'An unmasked /proc exposes kernel interfaces (sysrq-trigger, kcore) to the container. Restricted keeps the mask even for user-namespaced pods: a kernel bug reachable through those files is still a host escape.',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  severity: 'medium',
  pss: { level: 'restricted', check: 'procMount_restricted', since: 35 },
  controls: [
    { framework: 'cis', control: '5.7.3' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'SC-39' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    unmasked: 'Container "{{name}}" sets securityContext.procMount to {{value}}; only Default is allowed.',
  },
  run: (pod) => unmaskedProcMounts(pod, 'unmasked'),
})
