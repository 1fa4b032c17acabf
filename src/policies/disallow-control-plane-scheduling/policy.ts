import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-control-plane-scheduling',
  title: 'Workloads must not be placed on control-plane nodes',
  summary:
    'Forbid tolerations of the control-plane taint or of every taint, and spec.nodeName, which bypasses taints altogether.',
  rationale:
    "Control-plane nodes hold the cluster's crown jewels (etcd data, CA keys, admin credentials on disk) and are tainted to keep workloads away. A pod that tolerates that taint, or names a node directly, can land next to them, where one container escape becomes cluster compromise.",
  remediation:
    'Remove the control-plane and catch-all tolerations and spec.nodeName; use nodeSelector or affinity to target worker nodes.',
  severity: 'medium',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/control-plane' },
    { framework: 'cis', control: '5.7.1' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.3' },
    { framework: 'nist', control: 'SC-2' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    controlPlane: 'Pod tolerates the control-plane taint {{key}}.',
    tolerateAll: 'Pod tolerates every taint (operator Exists without a key), including the control-plane taint.',
    nodeName: 'Pod sets spec.nodeName, which bypasses the scheduler and every taint.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  rules: [
    {
      messageId: 'controlPlane',
      forEach: { paths: ['/spec/tolerations'], as: 't' },
      expression:
        "!(t.?key.orValue('') in ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'])",
      data: { key: 't.key' },
    },
    {
      messageId: 'tolerateAll',
      forEach: { paths: ['/spec/tolerations'], as: 't' },
      expression: "!(t.?key.orValue('') == '' && t.?operator.orValue('Equal') == 'Exists')",
    },
    { messageId: 'nodeName', path: '/spec/nodeName', expression: "object.spec.?nodeName.orValue('') == ''" },
  ],
})
