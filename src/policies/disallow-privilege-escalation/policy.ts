import { containersOf, definePssPolicy, isWindowsPod } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'disallow-privilege-escalation',
  title: 'Containers must not allow privilege escalation',
  summary: 'Require securityContext.allowPrivilegeEscalation: false on every container (Windows pods are exempt from policy v1.25).',
  rationale:
    'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid binaries or file capabilities (no_new_privs is not set).',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  severity: 'medium',
  pss: { level: 'restricted', check: 'allowPrivilegeEscalation', since: 8 },
  controls: [
    { framework: 'cis', control: '5.2.6' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-6(10)' },
  ],
  messages: {
    allowed: 'Container "{{name}}" does not set securityContext.allowPrivilegeEscalation: false.',
  },
  run: (pod, minor) => {
    if (minor >= 25 && isWindowsPod(pod)) return []
    return containersOf(pod)
      .filter((c) => c.securityContext.allowPrivilegeEscalation !== false)
      .map((c) => {
        const path = `${c.pointer}/securityContext/allowPrivilegeEscalation`
        // no_new_privs only breaks setuid binaries, which containers should not rely on.
        return { messageId: 'allowed', path, data: { name: c.name }, fix: { safety: 'safe' as const, patch: [{ op: 'add' as const, path, value: false }] } }
      })
  },
})
