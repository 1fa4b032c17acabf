import { definePolicy, type NativeViolation } from '../../engine/index.js'
import { containersOf } from '../pod-security-standards/index.js'
import { isLiteralCredential, isSecretLikeName, tokenShapeIn } from '../../secrets/index.js'

/** `--password=x`, `-token=x`, `--api-key x` (the value in the next argument). */
const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/s

export default definePolicy({
  id: 'disallow-secrets-in-command-args',
  title: 'Credentials must not be passed on the command line',
  summary:
    'Forbid command and args entries that carry a credential: a --password=... style flag with a literal, or a value shaped like a key or token.',
  rationale:
    'Command lines are world-readable on the node (/proc/<pid>/cmdline, ps), part of the pod spec readable by anyone with get on it, and routinely logged by process monitors and audit tools.',
  remediation:
    'Read the credential from a file mounted from a Secret, or from an environment variable set by secretKeyRef; rotate the exposed credential.',
  severity: 'high',
  category: 'secrets',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.4.1' },
    { framework: 'nsa', control: 'secrets/encryption' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '8.6.2' },
    { framework: 'nist', control: 'IA-5(7)' },
    { framework: 'nist', control: 'SC-28' },
  ],
  messages: {
    flag: 'Container "{{name}}" passes a literal credential in the {{flag}} flag of its {{field}}.',
    tokenShape: 'Container "{{name}}" has what looks like {{shape}} in its {{field}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  check: (pod) => {
    const out: NativeViolation[] = []
    for (const c of containersOf(pod)) {
      for (const field of ['command', 'args'] as const) {
        const items = c.container[field]
        if (!Array.isArray(items)) continue
        for (let i = 0; i < items.length; i++) {
          const item: unknown = items[i]
          if (typeof item !== 'string') continue
          const path = `${c.pointer}/${field}/${i}`
          const shape = tokenShapeIn(item)
          if (shape) {
            out.push({ messageId: 'tokenShape', path, data: { name: c.name, shape, field } })
            continue
          }
          const flag = FLAG.exec(item)
          if (!flag || !isSecretLikeName(flag[1] as string)) continue
          const next: unknown = items[i + 1]
          const separate = flag[2] === undefined && typeof next === 'string' && !next.startsWith('-')
          const value = flag[2] ?? (separate ? (next as string) : '')
          if (!isLiteralCredential(value)) continue
          out.push({ messageId: 'flag', path, data: { name: c.name, flag: `--${flag[1]}`, field } })
          // the value in the next argument belongs to this finding
          if (separate) i++
        }
      }
    }
    return out
  },
})
