import { definePolicy } from '../../engine/index.js'

const MODES = ['enforce', 'audit', 'warn']

export default definePolicy({
  id: 'disallow-invalid-pod-security-labels',
  title: 'Pod Security Admission labels must be valid',
  summary:
    'Require pod-security.kubernetes.io labels to be a known mode with a valid level (privileged, baseline, restricted) or version (latest, v1.N).',
  rationale:
    'Pod Security Admission reads these labels silently: a misspelt key is ignored, an invalid audit or warn level turns that mode off, and an invalid version falls back to latest. The namespace is then not protected the way its labels suggest.',
  remediation:
    'Use pod-security.kubernetes.io/<enforce|audit|warn> with privileged, baseline or restricted, and <mode>-version with latest or v1.N.',
  severity: 'medium',
  category: 'namespaces',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.2.1' },
    { framework: 'nsa', control: 'pod-security/enforcement' },
    { framework: 'soc2', control: 'CC7.1' },
    { framework: 'pci', control: '2.2.1' },
    { framework: 'nist', control: 'CM-6' },
  ],
  messages: {
    unknownKey: 'Namespace "{{name}}" has the label {{key}}, which Pod Security Admission does not know and ignores.',
    invalidLevel:
      'Namespace "{{name}}" sets {{key}} to "{{value}}"; the level must be privileged, baseline or restricted.',
    invalidVersion: 'Namespace "{{name}}" sets {{key}} to "{{value}}"; the version must be latest or v1.N.',
  },
  match: { kinds: ['/Namespace'] },
  forEach: { paths: ['/metadata/labels'], as: 'l' },
  variables: [{ name: 'modes', expression: JSON.stringify(MODES) }],
  rules: [
    {
      messageId: 'unknownKey',
      expression:
        "!l.key.startsWith('pod-security.kubernetes.io/') || l.key.substring(27) in variables.modes || variables.modes.exists(m, l.key.substring(27) == m + '-version')",
      data: { name: 'object.metadata.name', key: 'l.key' },
    },
    {
      messageId: 'invalidLevel',
      expression:
        "!(l.key.startsWith('pod-security.kubernetes.io/') && l.key.substring(27) in variables.modes) || l.value in ['privileged', 'baseline', 'restricted']",
      data: { name: 'object.metadata.name', key: 'l.key', value: 'string(l.value)' },
    },
    {
      messageId: 'invalidVersion',
      expression:
        "!(l.key.startsWith('pod-security.kubernetes.io/') && l.key.endsWith('-version')) || l.value == 'latest' || string(l.value).matches('^v1\\\\.(0|[1-9][0-9]*)$')",
      data: { name: 'object.metadata.name', key: 'l.key', value: 'string(l.value)' },
    },
  ],
})
