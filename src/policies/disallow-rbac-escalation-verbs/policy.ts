import { definePolicy } from '../../engine/index.js'
import { celNamed, ROLE_KINDS } from '../rbac-rules/index.js'

export default definePolicy({
  id: 'disallow-rbac-escalation-verbs',
  title: 'Roles must not grant escalate, bind or impersonate',
  summary:
    'Forbid the escalate, bind and impersonate verbs in Role and ClusterRole rules not limited by resourceNames.',
  rationale:
    "RBAC stops a subject from granting more than it holds, except through these verbs: escalate edits roles beyond one's own rights, bind attaches any role (cluster-admin included), impersonate acts as any user, group or service account.",
  remediation:
    'Remove the verb; where a controller must bind or impersonate, limit the rule with resourceNames to the exact roles or identities.',
  severity: 'critical',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.8' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-6(1)' },
  ],
  messages: {
    escalation: '{{kind}} "{{name}}" grants the {{verb}} verb, which lets its subjects exceed their own permissions.',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'escalation',
      forEach: { paths: ['/verbs'], as: 'v' },
      expression: `!(v in ['escalate', 'bind', 'impersonate']) || ${celNamed()}`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verb: 'v' },
    },
  ],
})
