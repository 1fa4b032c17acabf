import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, obj } from '../pod-security-standards/index.js'

const HANDLERS: readonly (readonly [string, string])[] = [
  ['livenessProbe', '/livenessProbe'],
  ['readinessProbe', '/readinessProbe'],
  ['startupProbe', '/startupProbe'],
  ['postStart', '/lifecycle/postStart'],
  ['preStop', '/lifecycle/preStop'],
]

export default definePssPolicy({
  id: 'disallow-probe-and-lifecycle-hosts',
  title: 'Probes and lifecycle hooks must not target other hosts',
  summary: 'Forbid a host in httpGet and tcpSocket of probes and postStart/preStop hooks (policy v1.34 and later).',
  rationale:
    'The kubelet performs probes and hooks from the node: a host field turns it into a proxy that reaches node-local services, cloud metadata endpoints or other pods on behalf of whoever writes the pod spec.',
  remediation:
    'Remove host from httpGet and tcpSocket; the kubelet then targets the pod IP. Use an httpHeaders Host header for virtual hosts.',
  severity: 'medium',
  pss: { level: 'baseline', check: 'hostProbesAndHostLifecycle', since: 34 },
  controls: [
    { framework: 'nsa', control: 'network/network-policies' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.3.2' },
    { framework: 'nist', control: 'SC-7' },
    { framework: 'nist', control: 'AC-4' },
  ],
  messages: {
    host: 'Container "{{name}}" {{handler}} targets the host "{{host}}".',
  },
  run: (pod) => {
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      for (const [handler, path] of HANDLERS) {
        const h = obj(path.startsWith('/lifecycle/') ? obj(c.container.lifecycle)?.[handler] : c.container[handler])
        if (!h) continue
        for (const action of ['httpGet', 'tcpSocket'] as const) {
          const host = obj(h[action])?.host
          if (typeof host === 'string' && host !== '')
            out.push({
              messageId: 'host',
              path: `${c.pointer}${path}/${action}/host`,
              data: { name: c.name, handler, host },
            })
        }
      }
    }
    return out
  },
})
