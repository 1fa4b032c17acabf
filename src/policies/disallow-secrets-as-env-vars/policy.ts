import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-secrets-as-env-vars',
  title: 'Secrets should be mounted as files, not passed as environment variables',
  summary: 'Flag env[].valueFrom.secretKeyRef and envFrom[].secretRef.',
  rationale:
    'Environment variables leak: they are inherited by every child process, written into crash dumps and debug endpoints, printed by frameworks at startup, and cannot be rotated without a restart. Files on a Secret volume are updated in place and read only when needed.',
  remediation:
    'Mount the Secret as a volume and have the application read the file (most frameworks support *_FILE variables).',
  severity: 'low',
  category: 'secrets',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.4.1' },
    { framework: 'nsa', control: 'secrets/encryption' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '8.6.3' },
    { framework: 'nist', control: 'IA-5' },
    { framework: 'nist', control: 'SC-28' },
  ],
  messages: {
    secretKeyRef: 'Container "{{name}}" passes Secret "{{secret}}" to {{variable}} as an environment variable.',
    secretRef: 'Container "{{name}}" loads every key of Secret "{{secret}}" into its environment.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ['/spec/initContainers', '/spec/containers', '/spec/ephemeralContainers'], as: 'c' },
  rules: [
    {
      messageId: 'secretKeyRef',
      forEach: { paths: ['/env'], as: 'e' },
      path: '/valueFrom/secretKeyRef',
      expression: '!has(e.valueFrom) || !has(e.valueFrom.secretKeyRef)',
      data: { name: 'c.name', secret: "e.valueFrom.secretKeyRef.?name.orValue('')", variable: 'e.name' },
    },
    {
      messageId: 'secretRef',
      forEach: { paths: ['/envFrom'], as: 'e' },
      path: '/secretRef',
      expression: '!has(e.secretRef)',
      data: { name: 'c.name', secret: "e.secretRef.?name.orValue('')" },
    },
  ],
})
