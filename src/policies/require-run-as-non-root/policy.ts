import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, inUserNamespace, podSecurityContext } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'require-run-as-non-root',
  title: 'Containers must run as a non-root user',
  summary:
    'Require securityContext.runAsNonRoot: true on the pod or on every container, and forbid false (user-namespaced pods are exempt from policy v1.35).',
  rationale:
    'A process running as UID 0 keeps root privileges on the node if it escapes the container, and can modify anything in its own file system. In a user namespace (hostUsers: false) UID 0 maps to an unprivileged host user.',
  remediation:
    'Set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser if the image has no numeric USER); build images that run as an unprivileged user.',
  severity: 'high',
  pss: { level: 'restricted', check: 'runAsNonRoot', since: 0 },
  controls: [
    { framework: 'cis', control: '5.2.7' },
    { framework: 'nsa', control: 'pod-security/non-root' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'pci', control: '7.2.5' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-6(10)' },
  ],
  messages: {
    podExplicitFalse: 'Pod sets securityContext.runAsNonRoot to false.',
    explicitFalse: 'Container "{{name}}" sets securityContext.runAsNonRoot to false.',
    missing: 'Container "{{name}}" may run as root: neither it nor the pod sets securityContext.runAsNonRoot: true.',
  },
  run: (pod, minor) => {
    if (minor >= 35 && inUserNamespace(pod)) return []
    const out: NativeViolation[] = []
    const podValue = podSecurityContext(pod).runAsNonRoot
    if (podValue === false) out.push({ messageId: 'podExplicitFalse', path: '/spec/securityContext/runAsNonRoot' })
    for (const c of containersOf(pod)) {
      const value = c.securityContext.runAsNonRoot
      if (value === false)
        out.push({
          messageId: 'explicitFalse',
          path: `${c.pointer}/securityContext/runAsNonRoot`,
          data: { name: c.name },
        })
      else if (value !== true && podValue !== true) {
        out.push({
          messageId: 'missing',
          path: c.pointer,
          data: { name: c.name },
          fix: {
            safety: 'unsafe',
            patch: [{ op: 'add', path: `${c.pointer}/securityContext/runAsNonRoot`, value: true }],
          },
        })
      }
    }
    return out
  },
})
