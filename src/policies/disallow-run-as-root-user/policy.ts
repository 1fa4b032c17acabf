import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, inUserNamespace, podSecurityContext } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'disallow-run-as-root-user',
  title: 'Pods must not set runAsUser to 0',
  summary:
    'Forbid securityContext.runAsUser: 0 on the pod and every container (policy v1.23 and later; user-namespaced pods exempt from v1.35).',
  rationale:
    'runAsUser: 0 overrides the image and the runAsNonRoot intent: the process runs as root, which becomes root on the node after a container escape.',
  remediation:
    'Set runAsUser to a non-zero UID (10000 or above keeps clear of host users), or remove it and rely on the image USER with runAsNonRoot: true.',
  severity: 'high',
  pss: { level: 'restricted', check: 'runAsUser', since: 23 },
  controls: [
    { framework: 'cis', control: '5.2.7' },
    { framework: 'nsa', control: 'pod-security/non-root' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '7.2.5' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-6(10)' },
  ],
  messages: {
    pod: 'Pod sets securityContext.runAsUser: 0 (root).',
    container: 'Container "{{name}}" sets securityContext.runAsUser: 0 (root).',
  },
  run: (pod, minor) => {
    if (minor >= 35 && inUserNamespace(pod)) return []
    const out: NativeViolation[] = []
    if (podSecurityContext(pod).runAsUser === 0) out.push({ messageId: 'pod', path: '/spec/securityContext/runAsUser' })
    for (const c of containersOf(pod)) {
      if (c.securityContext.runAsUser === 0)
        out.push({ messageId: 'container', path: `${c.pointer}/securityContext/runAsUser`, data: { name: c.name } })
    }
    return out
  },
})
