import { isRecord } from '../../core/index.js'
import { definePolicy, type NativeViolation } from '../../engine/index.js'

/** A value SOPS has encrypted: ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]. */
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,data:/

export default definePolicy({
  id: 'disallow-plaintext-secrets',
  title: 'Secrets must not be committed in plain text',
  summary:
    'Forbid kind: Secret objects with data or stringData in Git, unless the file is SOPS-encrypted; SealedSecret and ExternalSecret are the safe forms.',
  rationale:
    'base64 is an encoding, not encryption: a Secret in Git gives its credentials to everyone who can read the repository, its forks, clones and CI logs, forever, since history keeps them after deletion.',
  remediation:
    'Encrypt the file with SOPS, or replace the Secret with a SealedSecret or an ExternalSecret that references a secret manager; rotate every credential that was committed.',
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
    plaintext: 'Secret "{{name}}" stores {{count}} value(s) in {{field}} unencrypted.',
  },
  match: { kinds: ['/Secret'] },
  check: (secret) => {
    // SOPS keeps its metadata in a top-level `sops` key of the encrypted document.
    if (isRecord(secret.sops)) return []
    const meta = isRecord(secret.metadata) ? secret.metadata : {}
    const out: NativeViolation[] = []
    for (const field of ['data', 'stringData']) {
      const values = secret[field]
      if (!isRecord(values)) continue
      const plain = Object.values(values).filter((v) => typeof v === 'string' && v !== '' && !SOPS_VALUE.test(v))
      if (plain.length > 0)
        out.push({ messageId: 'plaintext', path: `/${field}`, data: { name: meta.name, count: plain.length, field } })
    }
    return out
  },
})
