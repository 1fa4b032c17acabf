import { definePolicy } from '../../engine/index.js'
import { BINDING_KINDS } from '../rbac-rules/index.js'

export default definePolicy({
  id: 'disallow-cluster-admin-bindings',
  title: 'Bindings must not grant cluster-admin',
  summary: 'Forbid RoleBindings and ClusterRoleBindings whose roleRef is the cluster-admin ClusterRole.',
  rationale:
    'cluster-admin is every permission on every resource, Secrets and RBAC included. Each subject bound to it is a full cluster compromise waiting for one leaked credential.',
  remediation: 'Bind a role with the permissions the subject needs; keep cluster-admin to break-glass access outside Git, granted for a limited time.',
  severity: 'critical',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.1' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-6(5)' },
  ],
  messages: {
    clusterAdmin: '{{kind}} "{{name}}" binds the cluster-admin ClusterRole.',
  },
  match: { kinds: BINDING_KINDS },
  rules: [
    {
      messageId: 'clusterAdmin',
      path: '/roleRef/name',
      expression: "!(object.roleRef.?kind.orValue('') == 'ClusterRole' && object.roleRef.?name.orValue('') == 'cluster-admin')",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
