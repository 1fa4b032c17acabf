import { definePolicy } from '../../engine/index.js'
import { celGrants, celMatchingVerbs, ROLE_KINDS } from '../rbac-rules/index.js'

const VERBS = ['create', 'get']

export default definePolicy({
  id: 'restrict-pod-exec-access',
  title: 'Roles must not allow exec or attach into pods',
  summary: 'Forbid pods/exec and pods/attach (create or get) in Role and ClusterRole rules.',
  rationale:
    "exec and attach give an interactive shell in any pod in scope, with that pod's service account token, mounted Secrets and network position: it bypasses every control on what the pod is allowed to run.",
  remediation:
    'Grant exec only to break-glass roles bound for a limited time; use logs, metrics and ephemeral debug containers with review for routine debugging.',
  severity: 'high',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-17' },
  ],
  messages: {
    granted: '{{kind}} "{{name}}" allows exec or attach into pods ({{verbs}}).',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'granted',
      expression: `!(${celGrants([''], ['pods/exec', 'pods/attach'], VERBS)})`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verbs: celMatchingVerbs(VERBS) },
    },
  ],
})
