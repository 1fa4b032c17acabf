import { scryptSync } from 'node:crypto'
import { detachedString } from '../core/index.js'

const SALT = 'palisade/secret-fingerprint/v1'
const cache = new Map<string, string>()

/**
 * A secret's fingerprint: 32 hex characters of scrypt(secret) with a fixed salt. The same
 * value gives the same fingerprint wherever it appears (so a known false positive is
 * allowed once, by fingerprint), and a deliberately slow hash keeps short passwords from
 * being recovered from reports by trying a dictionary.
 */
export function secretFingerprint(secret: string): string {
  let fp = cache.get(secret)
  if (fp === undefined) {
    fp = scryptSync(secret, SALT, 16, { N: 1 << 14, r: 8, p: 1 }).toString('hex')
    if (cache.size > 10_000) cache.clear()
    cache.set(detachedString(secret), fp) // a copy: a secret read from a manifest is a slice of its text
  }
  return fp
}

/**
 * What a report may show of a secret: a few characters at each end for long values
 * (enough to recognise a token's prefix), nothing but the length for short ones.
 * A private key shows its BEGIN line only, which is not secret.
 */
export function redactedPreview(secret: string): string {
  const pem = /-----BEGIN ([A-Z ]*PRIVATE KEY(?: BLOCK)?)-----/.exec(secret)
  if (pem) return `-----BEGIN ${pem[1]}-----…`
  const chars = [...secret]
  const n = chars.length
  if (n >= 24) return `${chars.slice(0, 4).join('')}…${chars.slice(-4).join('')}`
  if (n >= 12) return `${chars.slice(0, 2).join('')}…${chars.slice(-2).join('')}`
  return `…(${n} characters)`
}

/**
 * Pieces of a secret to blank out wherever they appear in a text: the whole value and
 * each run of 8+ characters between whitespace or escaped newlines (so a private key
 * in a YAML block scalar, or a JSON string with `\n`, is masked line by line).
 */
export function maskPieces(secret: string): string[] {
  const pieces = new Set<string>([secret])
  for (const piece of secret.split(/\\[rn]|\s+/)) if (piece.length >= 8) pieces.add(piece)
  return [...pieces].sort((a, b) => b.length - a.length)
}

/** Replace every occurrence of the pieces with `*`, keeping line breaks, so lines and columns stay put. */
export function maskText(text: string, pieces: readonly string[]): string {
  let out = text
  for (const piece of pieces) {
    if (piece.length < 4 || !out.includes(piece)) continue
    out = out.split(piece).join(piece.replace(/[^\r\n]/g, '*'))
  }
  return out
}
