import { definePolicy } from '../../engine/index.js'
import { celGrants, celMatchingVerbs, ROLE_KINDS } from '../rbac-rules/index.js'

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']

export default definePolicy({
  id: 'disallow-node-proxy-access',
  title: 'Roles must not grant the nodes/proxy subresource',
  summary: 'Forbid any verb on nodes/proxy in ClusterRole and Role rules.',
  rationale:
    'nodes/proxy reaches the kubelet API of every node: with get alone a subject can run commands in any container on the node, and kubelet calls bypass admission control and audit of pod exec.',
  remediation:
    'Use metrics endpoints (nodes/metrics, nodes/stats) for monitoring agents; never grant nodes/proxy to workloads.',
  severity: 'critical',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.10' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'AC-17' },
  ],
  messages: {
    granted: '{{kind}} "{{name}}" grants nodes/proxy ({{verbs}}), which reaches the kubelet API of every node.',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'granted',
      expression: `!(${celGrants([''], ['nodes/proxy'], VERBS)})`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verbs: celMatchingVerbs(VERBS) },
    },
  ],
})
