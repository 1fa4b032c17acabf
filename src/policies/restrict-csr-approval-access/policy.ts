import { definePolicy } from '../../engine/index.js'
import { celGrants, celMatchingVerbs, ROLE_KINDS } from '../rbac-rules/index.js'

const VERBS = ['update', 'patch', 'approve']

export default definePolicy({
  id: 'restrict-csr-approval-access',
  title: 'Roles must not approve certificate signing requests',
  summary: 'Forbid update and patch on certificatesigningrequests/approval and approve on signers.',
  rationale:
    'Approving a CSR signed by the cluster CA mints a client certificate for any user or group, including system:masters, which RBAC cannot revoke before it expires.',
  remediation: "Leave CSR approval to the controller-manager's built-in approvers and to cluster administrators.",
  severity: 'critical',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.11' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.2' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'IA-5' },
  ],
  messages: {
    granted: '{{kind}} "{{name}}" can approve certificate signing requests ({{verbs}}).',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'granted',
      expression: `!(${celGrants(['certificates.k8s.io'], ['certificatesigningrequests/approval', 'signers'], VERBS)})`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verbs: celMatchingVerbs(VERBS) },
    },
  ],
})
