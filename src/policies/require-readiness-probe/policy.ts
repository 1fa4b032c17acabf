import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-readiness-probe',
  title: 'Long-running containers must have a readiness probe',
  summary:
    'Require readinessProbe on every container of long-running workloads: Deployments, StatefulSets, DaemonSets, ReplicaSets and restartPolicy Always Pods.',
  rationale:
    'Without a readiness probe a pod receives traffic as soon as its process starts, before it can serve, and keeps receiving it while it is overloaded or broken: failed requests during every rollout and no automatic isolation of bad replicas.',
  remediation: 'Add a readinessProbe that checks the endpoint the Service routes to, and its hard dependencies.',
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
    missing: 'Container "{{name}}" has no readinessProbe.',
  },
  // Jobs and CronJobs run to completion: probes matter for what is meant to keep running.
  match: {
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', '/Pod'],
    condition: "object.kind != 'Pod' || object.spec.?restartPolicy.orValue('Always') == 'Always'",
  },
  forEach: { paths: ['/spec/containers', '/spec/template/spec/containers'], as: 'c' },
  rules: [{ messageId: 'missing', expression: 'has(c.readinessProbe)', data: { name: 'c.name' } }],
})
