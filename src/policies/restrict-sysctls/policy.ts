import type { NativeViolation } from '../../engine/index.js'
import { definePssPolicy, obj, podSecurityContext } from '../pod-security-standards/index.js'

/** Safe (namespaced, pod-isolated) sysctls by the policy minor version that allowed them. */
const SAFE_SINCE: readonly (readonly [number, readonly string[]])[] = [
  [
    0,
    [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [
    29,
    [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  ],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
]

const safeAt = (minor: number): Set<string> =>
  new Set(SAFE_SINCE.filter(([since]) => since <= minor).flatMap(([, names]) => names))

export default definePssPolicy({
  id: 'restrict-sysctls',
  title: 'Pods may set only the safe sysctls',
  summary: 'Allow spec.securityContext.sysctls only from the safe, namespaced set of the policy version.',
  rationale:
    'Unsafe sysctls are not isolated per pod: they change kernel behaviour for every workload on the node or disable protections (kernel.*, vm.*), so one pod can weaken or crash its neighbours.',
  remediation:
    'Remove the sysctl, or tune it on the nodes for the workloads that need it (a dedicated node pool with the kubelet allowing it).',
  severity: 'high',
  pss: { level: 'baseline', check: 'sysctls', since: 0 },
  controls: [
    { framework: 'cis', control: '5.7.3' },
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'CM-7' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    unsafe: 'Pod sets the sysctl {{sysctl}}, which is not in the safe set of Pod Security Standards v1.{{minor}}.',
  },
  run: (pod, minor) => {
    const sysctls = podSecurityContext(pod).sysctls
    const out: NativeViolation[] = []
    if (!Array.isArray(sysctls)) return out
    const safe = safeAt(minor)
    sysctls.forEach((s, i) => {
      const name = obj(s)?.name
      if (typeof name !== 'string' || !safe.has(name))
        out.push({
          messageId: 'unsafe',
          path: `/spec/securityContext/sysctls/${i}/name`,
          data: { sysctl: name ?? '', minor },
        })
    })
    return out
  },
})
