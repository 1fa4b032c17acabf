import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-host-namespaces',
  title: 'Pods must not share the host network, PID or IPC namespace',
  summary: 'Forbid hostNetwork, hostPID and hostIPC set to true.',
  rationale:
    'Sharing a host namespace lets a container see and reach host processes, shared memory or network interfaces (including services bound to localhost), bypassing network policy and process isolation.',
  remediation: 'Remove hostNetwork, hostPID and hostIPC (or set them to false); expose ports through a Service instead of the host network.',
  severity: 'high',
  category: 'pod-security',
  sets: ['pss-baseline', 'pss-restricted'],
  controls: [
    { framework: 'pss', control: 'baseline/hostNamespaces' },
    { framework: 'cis', control: '5.2.3' },
    { framework: 'cis', control: '5.2.4' },
    { framework: 'cis', control: '5.2.5' },
    { framework: 'nsa', control: 'pod-security/privileged' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'SC-39' },
    { framework: 'nist', control: 'AC-6' },
  ],
  messages: {
    hostNetwork: 'Pod uses the host network namespace (hostNetwork: true).',
    hostPID: 'Pod shares the host process ID namespace (hostPID: true).',
    hostIPC: 'Pod shares the host IPC namespace (hostIPC: true).',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  rules: [
    { messageId: 'hostNetwork', path: '/spec/hostNetwork', expression: 'object.spec.?hostNetwork.orValue(false) != true' },
    { messageId: 'hostPID', path: '/spec/hostPID', expression: 'object.spec.?hostPID.orValue(false) != true' },
    { messageId: 'hostIPC', path: '/spec/hostIPC', expression: 'object.spec.?hostIPC.orValue(false) != true' },
  ],
})
