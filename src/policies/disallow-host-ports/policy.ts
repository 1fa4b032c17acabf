import type { NativeViolation } from '../../engine/index.js'
import { containersOf, definePssPolicy, obj } from '../pod-security-standards/index.js'

export default definePssPolicy({
  id: 'disallow-host-ports',
  title: 'Containers must not bind host ports',
  summary: 'Forbid a non-zero hostPort on any container port.',
  rationale:
    'A hostPort opens a port on every node the pod lands on, outside any Service or NetworkPolicy, and pins the pod to nodes where the port is free: it exposes the workload directly and bypasses network controls.',
  remediation:
    'Remove hostPort and publish the port through a Service (ClusterIP, or an Ingress/LoadBalancer where it must be reachable from outside).',
  severity: 'medium',
  pss: { level: 'baseline', check: 'hostPorts', since: 0 },
  controls: [
    { framework: 'cis', control: '5.2.13' },
    { framework: 'nsa', control: 'network/network-policies' },
    { framework: 'soc2', control: 'CC6.6' },
    { framework: 'pci', control: '1.3.1' },
    { framework: 'nist', control: 'SC-7' },
    { framework: 'nist', control: 'CM-7' },
  ],
  messages: {
    hostPort: 'Container "{{name}}" binds host port {{port}}.',
  },
  run: (pod) => {
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const ports = c.container.ports
      if (!Array.isArray(ports)) continue
      ports.forEach((p, j) => {
        const hostPort = obj(p)?.hostPort
        if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
          out.push({
            messageId: 'hostPort',
            path: `${c.pointer}/ports/${j}/hostPort`,
            data: { name: c.name, port: hostPort },
          })
        }
      })
    }
    return out
  },
})
