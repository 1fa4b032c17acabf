import { ALL_CONTAINERS, definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-root-group',
  title: 'Pods must not run with the root group',
  summary: 'Forbid runAsGroup: 0, fsGroup: 0 and supplemental group 0 on the pod and its containers.',
  rationale:
    'GID 0 owns much of an image and of the node: files writable by the root group (including on hostPath and shared volumes) become writable by the container process, even when it runs as a non-root user.',
  remediation:
    'Set runAsGroup and fsGroup to a dedicated non-zero GID (10000 or above) and remove 0 from supplementalGroups.',
  severity: 'medium',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.7.3' },
    { framework: 'nsa', control: 'pod-security/non-root' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '7.2.5' },
    { framework: 'nist', control: 'AC-6' },
  ],
  messages: {
    podGroup: 'Pod sets securityContext.{{field}}: 0 (the root group).',
    supplemental: 'Pod adds the root group (0) to securityContext.supplementalGroups.',
    containerGroup: 'Container "{{name}}" sets securityContext.runAsGroup: 0 (the root group).',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  rules: [
    {
      messageId: 'podGroup',
      path: '/spec/securityContext/runAsGroup',
      expression: 'object.spec.?securityContext.?runAsGroup.orValue(1) != 0',
      data: { field: '"runAsGroup"' },
    },
    {
      messageId: 'podGroup',
      path: '/spec/securityContext/fsGroup',
      expression: 'object.spec.?securityContext.?fsGroup.orValue(1) != 0',
      data: { field: '"fsGroup"' },
    },
    {
      messageId: 'supplemental',
      forEach: { paths: ['/spec/securityContext/supplementalGroups'], as: 'g' },
      expression: 'g != 0',
    },
    {
      messageId: 'containerGroup',
      forEach: { paths: ALL_CONTAINERS, as: 'c' },
      path: '/securityContext/runAsGroup',
      expression: 'c.?securityContext.?runAsGroup.orValue(1) != 0',
      data: { name: 'c.name' },
    },
  ],
})
