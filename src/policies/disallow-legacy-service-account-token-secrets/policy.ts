import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-legacy-service-account-token-secrets',
  title: 'Service account tokens must not be long-lived Secrets',
  summary: 'Forbid Secrets of type kubernetes.io/service-account-token.',
  rationale:
    'A service-account-token Secret holds a token that never expires and is not bound to a pod: once copied (from etcd, a backup, a log) it works until the Secret is deleted, long after anyone remembers it exists.',
  remediation:
    'Use projected service account tokens (the default since Kubernetes 1.22) or the TokenRequest API (kubectl create token) for short-lived tokens.',
  severity: 'medium',
  category: 'secrets',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.13' },
    { framework: 'nsa', control: 'pod-security/service-account-tokens' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '8.6.3' },
    { framework: 'nist', control: 'IA-5' },
    { framework: 'nist', control: 'AC-2' },
  ],
  messages: {
    legacyToken: 'Secret "{{name}}" is a long-lived service account token for "{{account}}".',
  },
  match: { kinds: ['/Secret'] },
  rules: [
    {
      messageId: 'legacyToken',
      path: '/type',
      expression: "object.?type.orValue('') != 'kubernetes.io/service-account-token'",
      data: {
        name: 'object.metadata.name',
        account: "object.metadata.?annotations[?'kubernetes.io/service-account.name'].orValue('?')",
      },
    },
  ],
})
