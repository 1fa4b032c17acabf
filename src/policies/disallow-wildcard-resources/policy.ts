import { definePolicy } from '../../engine/index.js'
import { ROLE_KINDS } from '../rbac-rules/index.js'

export default definePolicy({
  id: 'disallow-wildcard-resources',
  title: 'Roles must not grant every resource',
  summary: 'Forbid "*" in the resources of Role and ClusterRole rules.',
  rationale:
    'A "*" resource covers secrets, pods/exec, roles and bindings, and every custom resource installed later: the subject can read credentials and escalate through RBAC objects.',
  remediation:
    'List the resources the subject needs explicitly; a wildcard also grants everything added to the cluster later.',
  severity: 'high',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.3' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-3' },
  ],
  messages: {
    wildcard: '{{kind}} "{{name}}" grants the wildcard resource "{{entry}}".',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'wildcard',
      forEach: { paths: ['/resources'], as: 'x' },
      expression: "x != '*' && !x.startsWith('*/')",
      data: { kind: 'object.kind', name: 'object.metadata.name', entry: 'x' },
    },
  ],
})
