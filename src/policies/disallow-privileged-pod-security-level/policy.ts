import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-privileged-pod-security-level',
  title: 'Namespaces must not enforce the privileged Pod Security level',
  summary: 'Forbid pod-security.kubernetes.io/enforce: privileged on Namespaces (system namespaces exempt).',
  rationale:
    'The privileged level switches Pod Security Admission off for the namespace: anyone who can create a pod there can create a privileged one with host mounts, which is root on the node.',
  remediation:
    'Enforce baseline or restricted; move the few workloads that truly need host access to a dedicated, tightly controlled namespace and document it with a waiver.',
  severity: 'high',
  category: 'namespaces',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.2.1' },
    { framework: 'nsa', control: 'pod-security/enforcement' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'CM-7' },
    { framework: 'nist', control: 'AC-6' },
  ],
  params: {
    exempt: { description: 'Namespaces that may be privileged.', default: ['kube-system'] },
  },
  messages: {
    privileged: 'Namespace "{{name}}" enforces the privileged Pod Security level, which admits any pod.',
  },
  match: { kinds: ['/Namespace'] },
  rules: [
    {
      messageId: 'privileged',
      path: '/metadata/labels/pod-security.kubernetes.io~1enforce',
      expression:
        "object.metadata.name in params.exempt || object.metadata.?labels[?'pod-security.kubernetes.io/enforce'].orValue('') != 'privileged'",
      data: { name: 'object.metadata.name' },
    },
  ],
})
