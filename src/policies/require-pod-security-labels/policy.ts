import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-pod-security-labels',
  title: 'Namespaces must set a Pod Security Admission enforce level',
  summary: 'Require the pod-security.kubernetes.io/enforce label on every Namespace (system namespaces exempt).',
  rationale:
    'Without an enforce label the cluster-wide default applies, which is privileged unless an administrator configured otherwise: the namespace then admits privileged pods, host mounts and host networking.',
  remediation:
    'Label the namespace pod-security.kubernetes.io/enforce: restricted (or baseline), ideally with warn and audit set to restricted.',
  severity: 'medium',
  category: 'namespaces',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.2.1' },
    { framework: 'nsa', control: 'pod-security/enforcement' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '2.2.1' },
    { framework: 'nist', control: 'CM-6' },
    { framework: 'nist', control: 'CM-7' },
  ],
  params: {
    exempt: {
      description: 'Namespaces that need no label.',
      default: ['kube-system', 'kube-public', 'kube-node-lease'],
    },
  },
  messages: {
    missing: 'Namespace "{{name}}" has no pod-security.kubernetes.io/enforce label; the cluster default applies.',
  },
  match: { kinds: ['/Namespace'] },
  rules: [
    {
      messageId: 'missing',
      path: '/metadata/labels',
      expression:
        "object.metadata.name in params.exempt || object.metadata.?labels[?'pod-security.kubernetes.io/enforce'].hasValue()",
      data: { name: 'object.metadata.name' },
    },
  ],
})
