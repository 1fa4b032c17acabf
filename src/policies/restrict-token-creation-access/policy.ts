import { definePolicy } from '../../engine/index.js'
import { celGrants, celMatchingVerbs, celNamed, ROLE_KINDS } from '../rbac-rules/index.js'

const VERBS = ['create']

export default definePolicy({
  id: 'restrict-token-creation-access',
  title: 'Roles must not mint service account tokens broadly',
  summary:
    'Forbid create on serviceaccounts/token in Role and ClusterRole rules that are not limited by resourceNames.',
  rationale:
    'The TokenRequest API issues a token for any service account in scope: the subject can act as the most privileged service account in the namespace.',
  remediation: 'Limit the rule with resourceNames to the service accounts that must be impersonated, or remove it.',
  severity: 'high',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.13' },
    { framework: 'nsa', control: 'pod-security/service-account-tokens' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'IA-5' },
  ],
  messages: {
    granted: '{{kind}} "{{name}}" can create tokens for any service account in its scope ({{verbs}}).',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'granted',
      expression: `!(${celGrants([''], ['serviceaccounts/token'], VERBS)}) || ${celNamed()}`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verbs: celMatchingVerbs(VERBS) },
    },
  ],
})
