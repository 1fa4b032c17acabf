import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-liveness-probe',
  title: 'Long-running containers must have a liveness probe',
  summary:
    'Require livenessProbe on every container of long-running workloads: Deployments, StatefulSets, DaemonSets, ReplicaSets and restartPolicy Always Pods.',
  rationale:
    'Without a liveness probe a deadlocked or wedged process keeps its pod Running forever: the service degrades silently, and a process hijacked into a hang is never restarted from its clean image.',
  remediation:
    'Add a livenessProbe (httpGet, tcpSocket, exec or grpc) that fails only when the process cannot recover by itself; keep it cheaper and more tolerant than the readiness probe.',
  severity: 'low',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'logging/monitoring' },
    { framework: 'soc2', control: 'A1.1' },
    { framework: 'soc2', control: 'CC7.2' },
    { framework: 'nist', control: 'SI-4' },
    { framework: 'nist', control: 'SC-5' },
  ],
  messages: {
    missing: 'Container "{{name}}" has no livenessProbe.',
  },
  // Jobs and CronJobs run to completion: probes matter for what is meant to keep running.
  match: {
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', '/Pod'],
    condition: "object.kind != 'Pod' || object.spec.?restartPolicy.orValue('Always') == 'Always'",
  },
  forEach: { paths: ['/spec/containers', '/spec/template/spec/containers'], as: 'c' },
  rules: [{ messageId: 'missing', expression: 'has(c.livenessProbe)', data: { name: 'c.name' } }],
})
