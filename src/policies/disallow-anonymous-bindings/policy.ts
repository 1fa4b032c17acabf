import { definePolicy } from '../../engine/index.js'
import { BINDING_KINDS } from '../rbac-rules/index.js'

export default definePolicy({
  id: 'disallow-anonymous-bindings',
  title: 'Bindings must not grant permissions to anonymous users',
  summary: 'Forbid the subjects system:anonymous and system:unauthenticated in RoleBindings and ClusterRoleBindings.',
  rationale:
    'Requests without credentials are authenticated as system:anonymous in group system:unauthenticated. Binding a role to either gives its permissions to anyone who can reach the API server.',
  remediation: 'Remove the subject; bind the role to the authenticated identities that need it.',
  severity: 'critical',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'authn-authz/anonymous' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '7.2.1' },
    { framework: 'nist', control: 'AC-14' },
    { framework: 'nist', control: 'IA-2' },
  ],
  messages: {
    anonymous: '{{kind}} "{{name}}" grants its role to {{subject}}, that is, to unauthenticated requests.',
  },
  match: { kinds: BINDING_KINDS },
  rules: [
    {
      messageId: 'anonymous',
      forEach: { paths: ['/subjects'], as: 's' },
      expression: "!(s.?name.orValue('') in ['system:anonymous', 'system:unauthenticated'])",
      data: { kind: 'object.kind', name: 'object.metadata.name', subject: 's.name' },
    },
  ],
})
