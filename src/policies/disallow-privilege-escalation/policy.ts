import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, isWindowsPod } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'disallow-privilege-escalation',
  title: 'Containers must not allow privilege escalation',
  summary:
    'Require securityContext.allowPrivilegeEscalation: false on every container (Windows pods are exempt from policy v1.25).',
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
    const windows = isWindowsPod(pod)
    if (minor >= 25 && windows) return []
    return containersOf(pod)
      .filter((c) => c.securityContext.allowPrivilegeEscalation !== false)
      .map((c) => {
        const path = `${c.pointer}/securityContext/allowPrivilegeEscalation`
        const violation: NativeViolation = { messageId: 'allowed', path, data: { name: c.name } }
        // no_new_privs only breaks setuid binaries, which containers should not rely on. The API
        // server refuses the field on Windows pods, so no fix is offered there.
        if (!windows) violation.fix = { safety: 'safe', patch: [{ op: 'add', path, value: false }] }
        return violation
      })
  },
})
