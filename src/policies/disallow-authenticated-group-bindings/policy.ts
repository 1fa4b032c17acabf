import { definePolicy } from '../../engine/index.js'
import { BINDING_KINDS } from '../rbac-rules/index.js'

export default definePolicy({
  id: 'disallow-authenticated-group-bindings',
  title: 'Bindings must not grant permissions to every authenticated user',
  summary: 'Forbid the group system:authenticated as a subject of RoleBindings and ClusterRoleBindings.',
  rationale:
    'system:authenticated contains every identity the API server accepts: every service account of every namespace and, on managed clusters, any account of the identity provider (any Google account on GKE). A role bound to it is granted far beyond the organisation.',
  remediation: 'Bind the role to the specific groups or service accounts that need it.',
  severity: 'high',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.1' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-3' },
  ],
  messages: {
    authenticated: '{{kind}} "{{name}}" grants its role to every authenticated identity (system:authenticated).',
  },
  match: { kinds: BINDING_KINDS },
  rules: [
    {
      messageId: 'authenticated',
      forEach: { paths: ['/subjects'], as: 's' },
      expression: "!(s.?kind.orValue('') == 'Group' && s.?name.orValue('') == 'system:authenticated')",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
