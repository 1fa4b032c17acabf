import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-ephemeral-storage-limits',
  title: 'Containers must limit their ephemeral storage',
  summary: 'Require resources.limits.ephemeral-storage on every container and init container.',
  rationale:
    "Logs, emptyDir volumes and writable layers share the node's disk. One container that fills it triggers disk-pressure evictions of every pod on the node: a denial of service from a log loop or an attacker writing files.",
  remediation:
    'Set resources.limits.ephemeral-storage (and a request) from observed usage; put large scratch data on a sized volume.',
  severity: 'low',
  category: 'workload',
  stage: 'experimental',
  controls: [
    { framework: 'nsa', control: 'network/resource-policies' },
    { framework: 'soc2', control: 'A1.1' },
    { framework: 'nist', control: 'SC-5' },
    { framework: 'nist', control: 'SC-6' },
  ],
  messages: {
    missing: 'Container "{{name}}" has no ephemeral-storage limit.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ['/spec/initContainers', '/spec/containers'], as: 'c' },
  rules: [
    {
      messageId: 'missing',
      path: '/resources/limits/ephemeral-storage',
      expression: "c.?resources.?limits[?'ephemeral-storage'].hasValue()",
      data: { name: 'c.name' },
    },
  ],
})
