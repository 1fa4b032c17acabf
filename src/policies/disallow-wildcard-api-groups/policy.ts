import { definePolicy } from '../../engine/index.js'
import { ROLE_KINDS } from '../rbac-rules/index.js'

export default definePolicy({
  id: 'disallow-wildcard-api-groups',
  title: 'Roles must not grant every API group',
  summary: 'Forbid "*" in the apiGroups of Role and ClusterRole rules.',
  rationale:
    'A "*" API group matches the named resources in every group, including custom resource groups installed later that reuse a name (a CRD called secrets or pods).',
  remediation:
    'List the API groups the subject needs explicitly; a wildcard also grants everything added to the cluster later.',
  severity: 'medium',
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
    wildcard: '{{kind}} "{{name}}" grants every API group ("*" in apiGroups).',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'wildcard',
      forEach: { paths: ['/apiGroups'], as: 'x' },
      expression: "x != '*'",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
