import type * as OpenPgp from 'openpgp'
import type { Key, Signature } from 'openpgp'
import { describeError, type Diagnostic } from '../core/index.js'

/** A trusted OpenPGP public key and who it says it belongs to. */
export interface TrustedPgpKey {
  key: Key
  /** Primary key fingerprint, upper-case hex. */
  fingerprint: string
  /** User IDs as written (`Alice <alice@example.com>`) and their emails. */
  userIds: string[]
  emails: string[]
  file: string
}

/** Result of checking an OpenPGP signature. */
export type PgpVerdict =
  | { ok: true; key: TrustedPgpKey; signedAt: Date }
  | { ok: false; kind: 'bad-signature' | 'unknown-signer' | 'expired-key'; reason: string; keyId?: string }

// openpgp.js is large: loaded on first use, so commands that never meet an OpenPGP signature do not pay for it.
const openpgp = (): Promise<typeof OpenPgp> => import('openpgp')

/**
 * Read every public key of an armored key file: each `BEGIN PGP PUBLIC KEY BLOCK` block on
 * its own (openpgp.js reads only the first armor of a text, so keys appended as another
 * block, as `gpg --export --armor a >> file` does, would be dropped). A block that does not
 * parse is a diagnostic at its line; the others still count.
 */
export async function readPgpKeys(
  armored: string,
  file: string,
): Promise<{ keys: TrustedPgpKey[]; diagnostics: Diagnostic[] }> {
  const { readKeys } = await openpgp()
  const keys: TrustedPgpKey[] = []
  const diagnostics: Diagnostic[] = []
  for (const block of armorBlocks(armored)) {
    try {
      for (const key of await readKeys({ armoredKeys: block.text })) {
        const userIds = key.getUserIDs()
        const emails = key.users.map((u) => u.userID?.email ?? '').filter((e) => e !== '')
        keys.push({ key, fingerprint: key.getFingerprint().toUpperCase(), userIds, emails, file })
      }
    } catch (error) {
      const at = { line: block.line, column: 1, offset: 0 }
      diagnostics.push({
        code: 'CONFIG_INVALID',
        message: `${file}${block.line > 1 ? `:${block.line}` : ''}: not an armored OpenPGP public key: ${describeError(error)}`,
        span: { file, start: at, end: at },
      })
    }
  }
  return { keys, diagnostics }
}

/** The armored key blocks of a text with their first lines (one pass over its lines); the whole text when it has none. */
function armorBlocks(text: string): { text: string; line: number }[] {
  const lines = text.split('\n')
  const blocks: { text: string; line: number }[] = []
  let start = -1
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (line === '-----BEGIN PGP PUBLIC KEY BLOCK-----') start = i
    else if (line === '-----END PGP PUBLIC KEY BLOCK-----' && start >= 0) {
      blocks.push({ text: lines.slice(start, i + 1).join('\n') + '\n', line: start + 1 })
      start = -1
    }
  })
  if (start >= 0) blocks.push({ text: lines.slice(start).join('\n'), line: start + 1 })
  return blocks.length > 0 ? blocks : [{ text, line: 1 }]
}

/**
 * Verify a detached armored OpenPGP signature over `payload` (the commit without its
 * signature header) against trusted keys, in-process with openpgp.js:
 * - no trusted key has the issuer key id: unknown-signer;
 * - the digest does not match, or the key was revoked: bad-signature;
 * - the key (or signing subkey) had expired when the signature was made, or has
 *   expired by `now` (git's verify-commit refuses both): expired-key.
 */
export async function verifyPgpSignature(
  armored: string,
  payload: Buffer,
  trusted: readonly TrustedPgpKey[],
  now: Date,
): Promise<PgpVerdict> {
  const { createMessage, readSignature, verify } = await openpgp()
  let signature: Signature
  try {
    signature = await readSignature({ armoredSignature: armored })
  } catch (error) {
    return { ok: false, kind: 'bad-signature', reason: `malformed OpenPGP signature: ${describeError(error)}` }
  }
  const issuers = signature.getSigningKeyIDs()
  const keyId = issuers.map((id) => id.toHex().toUpperCase()).join(', ')
  const candidate = trusted.find((t) => issuers.some((id) => t.key.getKeys(id).length > 0))
  if (!candidate)
    return {
      ok: false,
      kind: 'unknown-signer',
      reason: `signed by OpenPGP key ${keyId || '(no issuer)'}, which is not among the trusted keys`,
      keyId,
    }

  const message = await createMessage({ binary: new Uint8Array(payload) })
  const result = await verify({ message, signature, verificationKeys: [candidate.key], date: now, format: 'binary' })
  const first = result.signatures[0]
  if (!first)
    return { ok: false, kind: 'bad-signature', reason: 'the OpenPGP signature holds no signature packet', keyId }
  let signedAt: Date
  try {
    await first.verified
    const packet = (await first.signature).packets[0]
    signedAt = packet?.created ?? now
  } catch (error) {
    const text = describeError(error)
    if (/expired/i.test(text))
      return {
        ok: false,
        kind: 'expired-key',
        reason: `the key ${candidate.fingerprint} was expired when it signed: ${text}`,
        keyId,
      }
    if (/revoked/i.test(text))
      return { ok: false, kind: 'bad-signature', reason: `the key ${candidate.fingerprint} is revoked: ${text}`, keyId }
    if (/in the future|newer than the signature/i.test(text))
      return { ok: false, kind: 'bad-signature', reason: `the signature's time is not plausible: ${text}`, keyId }
    return {
      ok: false,
      kind: 'bad-signature',
      reason: `the signature does not match the signed content (modified after signing, or corrupted): ${text}`,
      keyId,
    }
  }
  const signed = signedAt.toISOString().slice(0, 10)
  const expires = await candidate.key.getExpirationTime()
  if (expires instanceof Date && expires.getTime() <= now.getTime()) {
    return {
      ok: false,
      kind: 'expired-key',
      reason: `the key ${candidate.fingerprint} expired on ${expires.toISOString().slice(0, 10)}; the signature was made on ${signed}`,
      keyId,
    }
  }
  try {
    await candidate.key.getSigningKey(first.keyID, now)
  } catch (error) {
    const text = describeError(error)
    const kind = /expired/i.test(text) ? 'expired-key' : 'bad-signature'
    return {
      ok: false,
      kind,
      reason: `the signing (sub)key of ${candidate.fingerprint} is no longer valid (${text}); the signature was made on ${signed}`,
      keyId,
    }
  }
  return { ok: true, key: candidate, signedAt }
}
