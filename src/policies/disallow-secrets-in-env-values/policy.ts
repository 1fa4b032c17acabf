import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { containersOf, obj } from '../pod-security-standards/index.js'
import { isLiteralCredential, isSecretLikeName, tokenShapeIn } from '../../secrets/index.js'

export default definePolicy({
  id: 'disallow-secrets-in-env-values',
  title: 'Credentials must not be written into environment variables',
  summary:
    'Forbid env values that look like credentials: a literal under a secret-like name, or a value shaped like a key or token.',
  rationale:
    'A literal in env is part of the pod spec: it is stored unencrypted in Git and in etcd, shown by kubectl describe, readable by anyone with get on the workload, and copied into every ReplicaSet revision.',
  remediation:
    'Move the value into a Secret (encrypted with SOPS, or synced by External Secrets) and mount it as a file, or reference it with valueFrom.secretKeyRef; rotate the exposed credential.',
  severity: 'high',
  category: 'secrets',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.4.1' },
    { framework: 'nsa', control: 'secrets/encryption' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '8.6.2' },
    { framework: 'pci', control: '3.5.1' },
    { framework: 'nist', control: 'IA-5(7)' },
    { framework: 'nist', control: 'SC-28' },
  ],
  messages: {
    namedSecret: 'Container "{{name}}" sets {{variable}} to a literal value; its name says it is a credential.',
    tokenShape: 'Container "{{name}}" sets {{variable}} to what looks like {{shape}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod) => {
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      const env = c.container.env
      if (!Array.isArray(env)) continue
      env.forEach((item, i) => {
        const e = obj(item)
        if (!e || typeof e.value !== 'string' || typeof e.name !== 'string') return
        const path = `${c.pointer}/env/${i}/value`
        const shape = tokenShapeIn(e.value)
        if (shape) out.push({ messageId: 'tokenShape', path, data: { name: c.name, variable: e.name, shape } })
        else if (isSecretLikeName(e.name) && isLiteralCredential(e.value))
          out.push({ messageId: 'namedSecret', path, data: { name: c.name, variable: e.name } })
      })
    }
    return out
  },
})
