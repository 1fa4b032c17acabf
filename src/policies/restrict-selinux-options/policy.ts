import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, obj, podSecurityContext } from '../pod-security-standards/index.js'

const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t']
/** v1.31 added the type nested container engines (podman in a pod) run as. */
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t']

export default definePssPolicy({
  id: 'restrict-selinux-options',
  title: 'Pods must not set a custom SELinux user, role or privileged type',
  summary:
    'Allow seLinuxOptions.type only from the container types and forbid seLinuxOptions.user and role, on the pod and every container.',
  rationale:
    'SELinux confines a container to the container_t domain; choosing another type (spc_t, unconfined_t) or a custom user or role lifts that confinement and gives the process the access of a host service.',
  remediation:
    'Remove seLinuxOptions.user and role, and leave type unset or use container_t (container_init_t, container_kvm_t, container_engine_t where needed).',
  severity: 'high',
  pss: { level: 'baseline', check: 'seLinuxOptions', since: 0 },
  controls: [
    { framework: 'cis', control: '5.7.3' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-3' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    type: '{{owner}} sets the forbidden SELinux type "{{type}}".',
    user: '{{owner}} sets a custom SELinux user ("{{value}}").',
    role: '{{owner}} sets a custom SELinux role ("{{value}}").',
  },
  run: (pod, minor) => {
    const allowed = minor >= 31 ? TYPES_1_31 : TYPES_1_0
    const out: NativeViolation[] = []
    const inspect = (options: unknown, at: string, owner: string): void => {
      const o = obj(options)
      if (!o) return
      const type = o.type ?? ''
      if (typeof type !== 'string' || !allowed.includes(type))
        out.push({ messageId: 'type', path: `${at}/type`, data: { owner, type } })
      for (const field of ['user', 'role'] as const) {
        const value = o[field]
        if (typeof value === 'string' ? value !== '' : value !== undefined && value !== null)
          out.push({ messageId: field, path: `${at}/${field}`, data: { owner, value } })
      }
    }
    inspect(podSecurityContext(pod).seLinuxOptions, '/spec/securityContext/seLinuxOptions', 'Pod')
    for (const c of containersOf(pod))
      inspect(c.securityContext.seLinuxOptions, `${c.pointer}/securityContext/seLinuxOptions`, `Container "${c.name}"`)
    return out
  },
})
