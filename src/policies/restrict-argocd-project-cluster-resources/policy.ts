import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'restrict-argocd-project-cluster-resources',
  title: 'Argo CD projects must not allow every cluster-scoped resource',
  summary: 'Forbid an AppProject clusterResourceWhitelist entry with group "*" and kind "*".',
  rationale:
    'Cluster-scoped resources include ClusterRoles, ClusterRoleBindings, CRDs and admission webhooks: a project that may create all of them lets any of its applications make itself cluster-admin.',
  remediation:
    'Whitelist only the cluster-scoped kinds the project needs (often only Namespace), and leave RBAC and webhooks to a platform project.',
  severity: 'high',
  category: 'gitops',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'cis', control: '5.1.3' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-5' },
  ],
  messages: {
    anyClusterResource:
      'AppProject "{{name}}" lets its applications create any cluster-scoped resource (group "*", kind "*").',
  },
  match: { kinds: ['argoproj.io/AppProject'] },
  rules: [
    {
      messageId: 'anyClusterResource',
      forEach: { paths: ['/spec/clusterResourceWhitelist'], as: 'r' },
      expression: "!(r.?group.orValue('') == '*' && r.?kind.orValue('') == '*')",
      data: { name: 'object.metadata.name' },
    },
  ],
})
