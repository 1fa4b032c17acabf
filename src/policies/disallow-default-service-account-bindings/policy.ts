import { definePolicy } from '../../engine/index.js'
import { BINDING_KINDS } from '../rbac-rules/index.js'

export default definePolicy({
  id: 'disallow-default-service-account-bindings',
  title: 'Bindings must not grant permissions to default service accounts',
  summary: 'Forbid subjects of kind ServiceAccount named default in RoleBindings and ClusterRoleBindings.',
  rationale:
    'Every pod that does not name a service account runs as default: a permission bound to it is silently given to every such pod in the namespace, including ones deployed later.',
  remediation: 'Create a dedicated ServiceAccount for the workload that needs the permission and bind that instead.',
  severity: 'medium',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.5' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '2.2.2' },
    { framework: 'pci', control: '8.2.2' },
    { framework: 'nist', control: 'AC-2' },
    { framework: 'nist', control: 'AC-6' },
  ],
  messages: {
    defaultAccount: '{{kind}} "{{name}}" grants its role to the default service account{{namespace}}.',
  },
  match: { kinds: BINDING_KINDS },
  rules: [
    {
      messageId: 'defaultAccount',
      forEach: { paths: ['/subjects'], as: 's' },
      expression: "!(s.?kind.orValue('') == 'ServiceAccount' && s.?name.orValue('') == 'default')",
      data: {
        kind: 'object.kind',
        name: 'object.metadata.name',
        namespace: "s.?namespace.hasValue() ? ' of namespace ' + s.namespace : ''",
      },
    },
  ],
})
