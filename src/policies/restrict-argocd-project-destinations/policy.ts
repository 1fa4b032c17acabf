import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'restrict-argocd-project-destinations',
  title: 'Argo CD projects must list the clusters and namespaces they deploy to',
  summary: 'Forbid "*" as the server, name or namespace of AppProject destinations.',
  rationale:
    "Destinations are what keeps one team's applications out of another team's namespaces and clusters: a wildcard lets any application of the project deploy into kube-system or production clusters it was never meant to touch.",
  remediation: 'List each destination cluster (server or name) and namespace (or a team prefix such as payments-*).',
  severity: 'high',
  category: 'gitops',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'nsa', control: 'network/namespaces' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-5' },
    { framework: 'nist', control: 'AC-6' },
  ],
  messages: {
    anyCluster: 'AppProject "{{name}}" allows deployment to any cluster.',
    anyNamespace: 'AppProject "{{name}}" allows deployment to any namespace.',
  },
  match: { kinds: ['argoproj.io/AppProject'] },
  forEach: { paths: ['/spec/destinations'], as: 'd' },
  rules: [
    {
      messageId: 'anyCluster',
      expression: "d.?server.orValue('') != '*' && d.?name.orValue('') != '*'",
      data: { name: 'object.metadata.name' },
    },
    {
      messageId: 'anyNamespace',
      path: '/namespace',
      expression: "d.?namespace.orValue('') != '*'",
      data: { name: 'object.metadata.name' },
    },
  ],
})
