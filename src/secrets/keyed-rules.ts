import { detachedString } from '../core/index.js'
import { isKnownNonSecret, isPlaceholder, looksRandom, shannonEntropy, type EntropyThresholds } from './entropy.js'

/** Words that make a key name a secret's name: password, token, api key, client secret, ... */
const SECRET_NAME =
  /(?:^|_)(?:pass(?:word|wd|phrase)?|pwd|secret|secret_?key|client_?secret|api_?key|apikey|access_?key|secret_?access_?key|auth_?token|access_?token|refresh_?token|bearer_?token|token|private_?key|credentials?|signing_?key|encryption_?key|master_?key|app_?secret|webhook_?secret)$/

/** Names that mention a secret but hold a reference to it (a Secret's name, a file, a key in a Secret). */
const REFERENCE_NAME =
  /(?:_|^)(?:ref|name|file|path|key_?ref|secret_?ref|env|var|id|length|policy|type|mount|dir|header|endpoint|url|uri|hash|rotation|provider|format|prefix|template)$/

/** `adminPassword`, `admin-password`, `db.password` → `admin_password`, `db_password`. */
export function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
}

const names = new Map<string, boolean>()
/** A word every secret-named key holds: a text without one has no secret's name in it. */
export const SECRET_WORD = /pass|pwd|secret|key|token|credential/i

/** True when a key names a secret value (and not a reference to one). Memoised: keys repeat a lot. */
export function isSecretName(key: string): boolean {
  // Keys that repeat are answered by the memo. Every SECRET_NAME word holds a SECRET_WORD, and
  // normalizeKey only lowercases and puts `_` between words: a new key without one is no
  // secret's name, and is not remembered (most keys of a properties file are unique).
  let known = names.get(key)
  if (known === undefined) {
    if (!SECRET_WORD.test(key)) return false
    const k = normalizeKey(key)
    known = SECRET_NAME.test(k) && !REFERENCE_NAME.test(k)
    if (names.size > 50_000) names.clear()
    names.set(detachedString(key), known) // keys are slices of their file's text: keep a copy, not the file
  }
  return known
}

/**
 * True when a value assigned to a secret-named key is a real hard-coded secret:
 * at least 8 characters, one token (no spaces), not a placeholder or template,
 * not a Kubernetes-style object name (a Secret's name), not a path or a URL without
 * credentials, and not a hash or public key; with at least 3 bits of entropy per character.
 */
export function isHardcodedSecret(value: string): boolean {
  const v = value.trim()
  if (v.length < 8 || v.length > 4096 || /\s/.test(v)) return false
  if (isPlaceholder(v) || isKnownNonSecret(v)) return false
  if (/^[a-z0-9]+(?:[-.][a-z0-9]+)+$/.test(v)) return false // my-release-postgresql, a.b.c
  if (/^(?:\/|\.\/|~\/|[a-z]+:\/\/[^@]*$)/i.test(v)) return false // paths, URLs without userinfo
  if (/^[A-Z][A-Z0-9_]*$/.test(v) && v.includes('_')) return false // ENV_VAR_NAME references
  if (/^-?\d+(?:\.\d+)?$/.test(v)) return false
  return shannonEntropy(v) >= 3
}

/** One finding of the key/value rules, before positions are attached. */
export interface AssignmentHit {
  rule: 'hardcoded-secret' | 'high-entropy-value'
  /** The value that is the secret. */
  secret: string
}

/**
 * Judge a value by the name it is assigned to: a secret-named key with a real value is
 * a hard-coded secret; any value that looks random (over the entropy thresholds) is a
 * high-entropy value.
 */
export function judgeAssignment(
  key: string | undefined,
  value: string,
  thresholds: EntropyThresholds,
  entropyRule = true,
): AssignmentHit | undefined {
  if (key !== undefined && isSecretName(key) && isHardcodedSecret(value))
    return { rule: 'hardcoded-secret', secret: value.trim() }
  if (entropyRule && looksRandom(value, thresholds)) return { rule: 'high-entropy-value', secret: value.trim() }
  return undefined
}

/** Titles and severities of the assignment rules. */
export const ASSIGNMENT_RULES = {
  'hardcoded-secret': { title: 'Hard-coded password or secret', severity: 'high' },
  'high-entropy-value': { title: 'High-entropy value (possible secret)', severity: 'medium' },
} as const
