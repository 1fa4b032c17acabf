import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, isWindowsPod, obj } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'require-drop-all-capabilities',
  title: 'Containers must drop all capabilities and add back only NET_BIND_SERVICE',
  summary:
    'Require capabilities.drop to include ALL and capabilities.add to hold nothing but NET_BIND_SERVICE (policy v1.22 and later; Windows pods exempt from v1.25).',
  rationale:
    'The runtime default capability set still includes powers most applications never use (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW...). Dropping them all limits what an attacker can do inside a compromised container.',
  remediation:
    'Add `capabilities: { drop: [ALL] }` to each container securityContext; add back NET_BIND_SERVICE only if the process binds a port below 1024.',
  severity: 'medium',
  pss: { level: 'restricted', check: 'capabilities_restricted', since: 22 },
  controls: [
    { framework: 'cis', control: '5.2.8' },
    { framework: 'cis', control: '5.2.10' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    notDropped: 'Container "{{name}}" does not drop ALL capabilities.',
    added: 'Container "{{name}}" adds capability {{capability}}; only NET_BIND_SERVICE may be added.',
  },
  run: (pod, minor) => {
    if (minor >= 25 && isWindowsPod(pod)) return []
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const capabilities = obj(c.securityContext.capabilities)
      const drop = capabilities?.drop
      if (!Array.isArray(drop) || !drop.includes('ALL')) {
        const path = `${c.pointer}/securityContext/capabilities/drop`
        out.push({
          messageId: 'notDropped',
          path,
          data: { name: c.name },
          fix: { safety: 'unsafe', patch: [{ op: 'add', path: `${path}/-`, value: 'ALL' }] },
        })
      }
      const add = capabilities?.add
      if (!Array.isArray(add)) continue
      add.forEach((cap, k) => {
        if (cap !== 'NET_BIND_SERVICE')
          out.push({
            messageId: 'added',
            path: `${c.pointer}/securityContext/capabilities/add/${k}`,
            data: { name: c.name, capability: cap },
          })
      })
    }
    return out
  },
})
