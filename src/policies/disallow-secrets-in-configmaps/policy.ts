import { escapePointerToken, isRecord } from '../../core/index.js'
import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { isLiteralCredential, isSecretLikeName, tokenShapeIn } from '../../secrets/index.js'

export default definePolicy({
  id: 'disallow-secrets-in-configmaps',
  title: 'ConfigMaps must not hold credentials',
  summary:
    'Forbid ConfigMap entries with a secret-like key and a literal value, or with a value shaped like a key or token.',
  rationale:
    'ConfigMaps are meant to be read widely: they are not encrypted at rest, RBAC often grants get on them to every workload and user of the namespace, and they are printed in full by kubectl and in CI logs.',
  remediation:
    'Move the value into a Secret (encrypted with SOPS, or synced by External Secrets) and reference it from the workload; rotate the exposed credential.',
  severity: 'high',
  category: 'secrets',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.4.2' },
    { framework: 'nsa', control: 'secrets/encryption' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '3.5.1' },
    { framework: 'pci', control: '8.6.2' },
    { framework: 'nist', control: 'IA-5(7)' },
    { framework: 'nist', control: 'SC-28' },
  ],
  messages: {
    namedSecret: 'ConfigMap "{{name}}" has the key {{key}} with a literal value; its name says it is a credential.',
    tokenShape: 'ConfigMap "{{name}}" key {{key}} contains what looks like {{shape}}.',
  },
  match: { kinds: ['/ConfigMap'] },
  check: (configMap) => {
    const data = isRecord(configMap.data) ? configMap.data : {}
    const meta = isRecord(configMap.metadata) ? configMap.metadata : {}
    const out: NativeViolation[] = []
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') continue
      const path = `/data/${escapePointerToken(key)}`
      const shape = tokenShapeIn(value)
      if (shape) out.push({ messageId: 'tokenShape', path, data: { name: meta.name, key, shape } })
      else if (isSecretLikeName(key) && isLiteralCredential(value) && !value.includes('\n'))
        out.push({ messageId: 'namedSecret', path, data: { name: meta.name, key } })
    }
    return out
  },
})
