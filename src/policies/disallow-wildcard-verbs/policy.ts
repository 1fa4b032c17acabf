import { definePolicy } from '../../engine/index.js'
import { ROLE_KINDS } from '../rbac-rules/index.js'

export default definePolicy({
  id: 'disallow-wildcard-verbs',
  title: 'Roles must not grant every verb',
  summary: 'Forbid "*" in the verbs of Role and ClusterRole rules.',
  rationale:
    'A "*" verb grants escalate, bind, impersonate, delete and every future verb on the listed resources: one rule meant for read access becomes full control.',
  remediation:
    'List the verbs the subject needs explicitly; a wildcard also grants everything added to the cluster later.',
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
    wildcard: '{{kind}} "{{name}}" grants every verb ("*" in verbs).',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'wildcard',
      forEach: { paths: ['/verbs'], as: 'x' },
      expression: "x != '*'",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
