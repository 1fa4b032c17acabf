import { PSS_BASELINE_CAPABILITIES } from '../../core/index.js'
import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, obj } from '../pod-security-standards/index.js'

const DEFAULT_SET = new Set(PSS_BASELINE_CAPABILITIES)

export default definePssPolicy({
  id: 'restrict-added-capabilities',
  title: 'Containers may add only the default Linux capabilities',
  summary: 'Allow capabilities.add only from the container runtime default set (Pod Security Standards baseline).',
  rationale:
    'Capabilities such as SYS_ADMIN, NET_ADMIN, NET_RAW or SYS_PTRACE give a container powers close to root on the node: mounting file systems, spoofing packets, changing routes, reading other processes.',
  remediation:
    'Remove the extra entries from securityContext.capabilities.add; if the workload truly needs one, document it with a waiver.',
  severity: 'high',
  pss: { level: 'baseline', check: 'capabilities_baseline', since: 0 },
  controls: [
    { framework: 'cis', control: '5.2.8' },
    { framework: 'cis', control: '5.2.9' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    added: 'Container "{{name}}" adds capability {{capability}}, which is not in the default set.',
  },
  run: (pod) => {
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const add = obj(c.securityContext.capabilities)?.add
      if (!Array.isArray(add)) continue
      add.forEach((cap, k) => {
        if (typeof cap !== 'string' || !DEFAULT_SET.has(cap)) {
          out.push({
            messageId: 'added',
            path: `${c.pointer}/securityContext/capabilities/add/${k}`,
            data: { name: c.name, capability: cap },
          })
        }
      })
    }
    return out
  },
})
