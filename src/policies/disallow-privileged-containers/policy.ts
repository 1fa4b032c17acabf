import { containersOf, definePssPolicy } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'disallow-privileged-containers',
  title: 'Containers must not run privileged',
  summary: 'Forbid securityContext.privileged: true on every container, init container and ephemeral container.',
  rationale:
    'A privileged container has every capability and direct access to the host devices; escaping it gives root on the node and, from there, the cluster.',
  remediation:
    'Remove securityContext.privileged or set it to false; grant the single capability the workload needs instead.',
  severity: 'critical',
  pss: { level: 'baseline', check: 'privileged', since: 0 },
  controls: [
    { framework: 'cis', control: '5.2.2' },
    { framework: 'nsa', control: 'pod-security/privileged' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    privileged: 'Container "{{name}}" runs privileged (securityContext.privileged: true).',
  },
  run: (pod) =>
    containersOf(pod)
      .filter((c) => c.securityContext.privileged === true)
      .map((c) => ({
        messageId: 'privileged',
        path: `${c.pointer}/securityContext/privileged`,
        data: { name: c.name },
        fix: {
          safety: 'unsafe',
          patch: [{ op: 'replace', path: `${c.pointer}/securityContext/privileged`, value: false }],
        },
      })),
})
