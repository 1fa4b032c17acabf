import { definePssPolicy, inUserNamespace, unmaskedProcMounts } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'disallow-unmasked-proc-mount',
  title: 'Containers must keep the default /proc masks (unless in a user namespace)',
  summary:
    'Forbid securityContext.procMount other than Default; from policy v1.35 a pod with hostUsers: false may use Unmasked.',
  rationale:
    'The runtime masks and mounts read-only the parts of /proc that expose the host (kcore, sysrq-trigger, timer lists); an Unmasked /proc gives a root process in the container those host interfaces. In a user namespace that root is not root on the node, which is why v1.35 relaxes the baseline check there.',
  remediation:
    'Remove securityContext.procMount or set it to Default; workloads that need an unmasked /proc (nested containers) should run with hostUsers: false.',
  severity: 'high',
  pss: { level: 'baseline', check: 'procMount', since: 0 },
  controls: [
    { framework: 'cis', control: '5.7.3' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'SC-39' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    unmasked:
      'Container "{{name}}" sets securityContext.procMount to {{value}}; only Default is allowed outside a user namespace.',
  },
  run: (pod, minor) => (minor >= 35 && inUserNamespace(pod) ? [] : unmaskedProcMounts(pod, 'unmasked')),
})
