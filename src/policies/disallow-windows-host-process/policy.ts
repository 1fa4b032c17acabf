import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, obj, podSecurityContext } from '../pod-security-standards/index.js'

const hostProcess = (securityContext: unknown): boolean =>
  obj(obj(securityContext)?.windowsOptions)?.hostProcess === true

export default definePssPolicy({
  id: 'disallow-windows-host-process',
  title: 'Pods must not run Windows HostProcess containers',
  summary: 'Forbid securityContext.windowsOptions.hostProcess: true on the pod and on every container.',
  rationale:
    'A Windows HostProcess container runs directly on the host with the host network and file system: the Windows equivalent of a privileged container.',
  remediation:
    'Remove windowsOptions.hostProcess (or set it to false); run node agents that need host access from a separately reviewed namespace.',
  severity: 'critical',
  pss: { level: 'baseline', check: 'windowsHostProcess', since: 0 },
  controls: [
    { framework: 'cis', control: '5.2.11' },
    { framework: 'nsa', control: 'pod-security/privileged' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    pod: 'Pod sets securityContext.windowsOptions.hostProcess: true.',
    container: 'Container "{{name}}" sets securityContext.windowsOptions.hostProcess: true.',
  },
  run: (pod) => {
    const out: NativeViolation[] = []
    if (hostProcess(podSecurityContext(pod)))
      out.push({ messageId: 'pod', path: '/spec/securityContext/windowsOptions/hostProcess' })
    for (const c of containersOf(pod)) {
      if (hostProcess(c.securityContext))
        out.push({
          messageId: 'container',
          path: `${c.pointer}/securityContext/windowsOptions/hostProcess`,
          data: { name: c.name },
        })
    }
    return out
  },
})
