import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-shared-process-namespace',
  title: 'Containers of a pod must not share one process namespace',
  summary: 'Forbid spec.shareProcessNamespace: true.',
  rationale:
    "With a shared process namespace every container sees the others' processes, their environment variables and, through /proc/<pid>/root, their file systems: a compromised sidecar reads the main container's secrets.",
  remediation:
    "Remove shareProcessNamespace; use an ephemeral debug container (kubectl debug --target) when you need to inspect another container's processes.",
  severity: 'medium',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.7.3' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    shared: "Pod sets shareProcessNamespace: true; its containers can read each other's processes and files.",
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  rules: [
    {
      messageId: 'shared',
      path: '/spec/shareProcessNamespace',
      expression: 'object.spec.?shareProcessNamespace.orValue(false) != true',
    },
  ],
})
