import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-default-namespace',
  title: 'Resources must not be deployed to the default namespace',
  summary: 'Forbid metadata.namespace: default on namespaced resources.',
  rationale:
    'The default namespace is where everything lands that nobody placed deliberately: it has no Pod Security labels, quotas or network policies of its own, and anything there shares one administrative boundary with every other stray workload.',
  remediation:
    'Create a namespace per application or team, with its Pod Security labels, quota and default-deny NetworkPolicy, and deploy into it.',
  severity: 'low',
  category: 'workload',
  sets: ['best-practices'],
  namespaceDependent: true,
  controls: [
    { framework: 'cis', control: '5.7.1' },
    { framework: 'cis', control: '5.7.4' },
    { framework: 'nsa', control: 'network/namespaces' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.3' },
    { framework: 'nist', control: 'AC-4' },
    { framework: 'nist', control: 'SC-2' },
  ],
  messages: {
    defaultNamespace: '{{kind}} "{{name}}" is deployed to the default namespace.',
  },
  match: { kinds: ['*'] },
  rules: [
    {
      messageId: 'defaultNamespace',
      path: '/metadata/namespace',
      expression: "object.metadata.?namespace.orValue('') != 'default'",
      data: { kind: 'object.kind', name: "object.metadata.?name.orValue('')" },
    },
  ],
})
