import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-readiness-probe',
  title: 'Long-running containers must have a readiness probe',
  summary: 'Require readinessProbe on every container of Deployments, StatefulSets and DaemonSets.',
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
  // Jobs and bare Pods run to completion or are debugging aids: probes matter for services.
  match: { kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
  forEach: { paths: ['/spec/template/spec/containers'], as: 'c' },
  rules: [{ messageId: 'missing', expression: 'has(c.readinessProbe)', data: { name: 'c.name' } }],
})
