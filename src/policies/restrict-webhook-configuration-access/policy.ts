import { definePolicy } from '../../engine/index.js'
import { celGrants, celMatchingVerbs, celNamed, ROLE_KINDS } from '../rbac-rules/index.js'

const VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection']

export default definePolicy({
  id: 'restrict-webhook-configuration-access',
  title: 'Roles must not change admission webhooks',
  summary:
    'Forbid create, update, patch and delete on validating and mutating webhook configurations not limited by resourceNames.',
  rationale:
    'Admission webhooks see and can rewrite every object sent to the API server: changing one disables policy enforcement or injects containers and credentials into every new pod.',
  remediation:
    'Keep webhook configuration changes to cluster administrators and the operator that owns a named webhook (resourceNames).',
  severity: 'high',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.12' },
    { framework: 'nsa', control: 'pod-security/enforcement' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-5' },
  ],
  messages: {
    granted: '{{kind}} "{{name}}" can change admission webhooks or policies ({{verbs}}).',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'granted',
      expression: `!(${celGrants(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'], VERBS)}) || ${celNamed()}`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verbs: celMatchingVerbs(VERBS) },
    },
  ],
})
