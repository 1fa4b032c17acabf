import { escapePointerToken } from '../../core/index.js'
import type { LocatedResource } from '../../pipeline/index.js'
import { parseAllowedSigners } from '../allowed-signers.js'
import type { WeakeningChange } from './types.js'

/**
 * A trust file of commit signing (palisade.yaml's `signing.allowedSigners` or one of its
 * `signing.openpgpKeys`) as the base commit and the head hold it; undefined where a side
 * has no such file.
 */
export interface TrustFileText {
  role: 'allowedSigners' | 'openpgpKey'
  /** The file as messages show it. */
  file: string
  base: string | undefined
  head: string | undefined
}

/** One thing a trust file trusts, keyed by everything that decides what it trusts. */
interface Entry {
  key: string
  line: number
  pointer: string
  message: string
}

const BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----'
const END = '-----END PGP PUBLIC KEY BLOCK-----'

/**
 * What a change to a trust file adds to the trusted signers: an allowed-signers line with a
 * new key, or an existing key given other principals, namespaces or validity; a line Palisade
 * cannot read (git's own `ssh-keygen -Y verify` may still honour it, e.g. `cert-authority`);
 * an OpenPGP public key block that the base did not have. Removing trust is not reported.
 * Messages name principals, key fingerprints and lines, never the file's text.
 */
export function detectTrustFileChanges(files: readonly TrustFileText[]): WeakeningChange[] {
  const changes: WeakeningChange[] = []
  for (const f of files) {
    if (f.head === undefined || f.head === f.base) continue
    const entries = f.role === 'allowedSigners' ? signerEntries : keyBlockEntries
    const before = new Set(entries(f.base ?? '', f.file).map((e) => e.key))
    const added = entries(f.head, f.file).filter((e) => !before.has(e.key))
    if (added.length === 0) continue
    const resource = trustFileResource(f.file, new Map(added.map((e) => [e.pointer, e.line])))
    for (const e of added)
      changes.push({
        messageId: 'trustFileChanged',
        message: `${f.file}:${e.line}: ${e.message}; the trusted signers change once this is merged`,
        severity: 'high',
        resource,
        side: 'head',
        path: e.pointer,
      })
  }
  return changes
}

function signerEntries(text: string, file: string): Entry[] {
  const parsed = parseAllowedSigners(text, file)
  const entries: Entry[] = parsed.signers.map((s) => ({
    key: JSON.stringify([
      s.fingerprint,
      [...s.principals].sort(),
      s.namespaces ?? null,
      s.validAfter?.toISOString() ?? null,
      s.validBefore?.toISOString() ?? null,
    ]),
    line: s.line,
    pointer: `/signers/${escapePointerToken(s.fingerprint)}/${escapePointerToken(s.principals.join(','))}`,
    message: `allowed signers: ${s.principals.join(', ')} may sign with ${s.keyType} key ${s.fingerprint}${s.namespaces ? ` (namespaces ${s.namespaces.join(',')})` : ''}`,
  }))
  // Lines Palisade skips (cert-authority, unknown options or key types): git may trust them.
  const lines = text.split(/\r?\n/)
  for (const d of parsed.diagnostics) {
    const line = d.span?.start.line ?? 0
    const raw = (lines[line - 1] ?? '').trim()
    entries.push({
      key: `unread:${raw}`,
      line,
      pointer: `/unread/${line}`,
      message: 'allowed signers: a line Palisade cannot read, which git itself may trust (e.g. cert-authority)',
    })
  }
  return entries
}

function keyBlockEntries(text: string): Entry[] {
  const entries: Entry[] = []
  const lines = text.split(/\r?\n/)
  let start = -1
  let body: string[] = []
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (line === BEGIN) {
      start = i
      body = []
    } else if (line === END && start >= 0) {
      // The armor's headers and checksum aside, the base64 body is the key.
      const key = body.filter((l) => l !== '' && !l.includes(':') && !l.startsWith('=')).join('')
      entries.push({
        key,
        line: start + 1,
        pointer: `/keys/${escapePointerToken(key.slice(-32))}`,
        message: 'adds an OpenPGP public key block (its keys are trusted to sign commits)',
      })
      start = -1
    } else if (start >= 0) body.push(line)
  })
  // Text outside any block that the base did not have (an unterminated block, another format).
  const outside = text.includes(BEGIN) ? '' : text.trim()
  if (outside !== '')
    entries.push({
      key: `text:${outside}`,
      line: 1,
      pointer: '/text',
      message: 'changes an OpenPGP key file that holds no armored key block',
    })
  return entries
}

/** The trust file as a resource of its own, so review findings point at its lines. */
function trustFileResource(file: string, lines: ReadonlyMap<string, number>): LocatedResource {
  const at = (line: number) => ({ line, column: 1, offset: 0 })
  return {
    object: { apiVersion: 'palisade.dev/v1alpha1', kind: 'TrustFile', metadata: { name: file } },
    file,
    document: 0,
    prefix: '',
    locate: (pointer) => ({ file, start: at(lines.get(pointer) ?? 1), end: at(lines.get(pointer) ?? 1) }),
  }
}
