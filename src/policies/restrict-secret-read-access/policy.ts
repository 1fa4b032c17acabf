import { definePolicy } from '../../engine/index.js'
import { celGrants, celMatchingVerbs, celNamed, ROLE_KINDS } from '../rbac-rules/index.js'

const VERBS = ['get', 'list', 'watch']

export default definePolicy({
  id: 'restrict-secret-read-access',
  title: 'Roles must not read Secrets broadly',
  summary: 'Forbid get, list and watch on secrets in Role and ClusterRole rules that are not limited by resourceNames.',
  rationale:
    "Read access to Secrets is read access to every credential in their scope: database passwords, API keys, other service accounts' tokens. list and watch return the values too, not only the names.",
  remediation:
    'Mount the Secrets the workload needs as volumes instead of reading them through the API, or limit the rule with resourceNames to the exact Secrets.',
  severity: 'high',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.2' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'nsa', control: 'secrets/encryption' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'IA-5' },
  ],
  messages: {
    granted: '{{kind}} "{{name}}" can read Secrets ({{verbs}}) without resourceNames.',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'granted',
      expression: `!(${celGrants([''], ['secrets'], VERBS)}) || ${celNamed()}`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verbs: celMatchingVerbs(VERBS) },
    },
  ],
})
