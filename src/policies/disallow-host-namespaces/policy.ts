import type { NativeViolation } from '../../engine/index.js'
import { definePssPolicy, specOf } from '../pod-security-standards/index.js'

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const

export default definePssPolicy({
  id: 'disallow-host-namespaces',
  title: 'Pods must not share the host network, PID or IPC namespace',
  summary: 'Forbid hostNetwork, hostPID and hostIPC set to true.',
  rationale:
    'Sharing a host namespace lets a container see and reach host processes, shared memory or network interfaces (including services bound to localhost), bypassing network policy and process isolation.',
  remediation:
    'Remove hostNetwork, hostPID and hostIPC (or set them to false); expose ports through a Service instead of the host network.',
  severity: 'high',
  pss: { level: 'baseline', check: 'hostNamespaces', since: 0 },
  controls: [
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
  run: (pod) => {
    const spec = specOf(pod)
    const out: NativeViolation[] = []
    for (const field of FIELDS) if (spec[field] === true) out.push({ messageId: field, path: `/spec/${field}` })
    return out
  },
})
