import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-high-uid-and-gid',
  title: 'Containers must run with a high user and group ID',
  summary:
    'Require runAsUser and runAsGroup (on the container or the pod) of at least the minimum parameter (10001 by default).',
  rationale:
    'Low UIDs and GIDs collide with real users and system accounts on the node: after a container escape, or on a shared volume, the process acts with that host identity. IDs above 10000 belong to nobody.',
  remediation:
    'Set spec.securityContext.runAsUser and runAsGroup to IDs of 10001 or more, and build the image to work with them.',
  severity: 'low',
  category: 'workload',
  stage: 'experimental',
  controls: [
    { framework: 'cis', control: '5.7.3' },
    { framework: 'nsa', control: 'pod-security/non-root' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'nist', control: 'AC-6' },
  ],
  params: {
    minimum: { description: 'Lowest acceptable UID and GID.', default: 10001 },
  },
  messages: {
    missing: 'Container "{{name}}" does not set securityContext.{{field}} (nor does the pod).',
    low: 'Container "{{name}}" runs with {{field}} {{value}}, below {{minimum}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ['/spec/initContainers', '/spec/containers'], as: 'c' },
  // -1 stands for "not set"; a container setting overrides the pod's.
  variables: [
    { name: 'podUser', expression: 'object.spec.?securityContext.?runAsUser.orValue(-1)' },
    { name: 'podGroup', expression: 'object.spec.?securityContext.?runAsGroup.orValue(-1)' },
  ],
  rules: [
    {
      messageId: 'missing',
      path: '/securityContext/runAsUser',
      expression: 'c.?securityContext.?runAsUser.orValue(variables.podUser) != -1',
      data: { name: 'c.name', field: '"runAsUser"' },
    },
    {
      messageId: 'low',
      path: '/securityContext/runAsUser',
      expression:
        'c.?securityContext.?runAsUser.orValue(variables.podUser) == -1 || c.?securityContext.?runAsUser.orValue(variables.podUser) >= params.minimum',
      data: {
        name: 'c.name',
        field: '"runAsUser"',
        value: 'c.?securityContext.?runAsUser.orValue(variables.podUser)',
        minimum: 'params.minimum',
      },
    },
    {
      messageId: 'missing',
      path: '/securityContext/runAsGroup',
      expression: 'c.?securityContext.?runAsGroup.orValue(variables.podGroup) != -1',
      data: { name: 'c.name', field: '"runAsGroup"' },
    },
    {
      messageId: 'low',
      path: '/securityContext/runAsGroup',
      expression:
        'c.?securityContext.?runAsGroup.orValue(variables.podGroup) == -1 || c.?securityContext.?runAsGroup.orValue(variables.podGroup) >= params.minimum',
      data: {
        name: 'c.name',
        field: '"runAsGroup"',
        value: 'c.?securityContext.?runAsGroup.orValue(variables.podGroup)',
        minimum: 'params.minimum',
      },
    },
  ],
})
