/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(value: string): number {
  if (value === '') return 0
  const counts = new Map<string, number>()
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  const n = [...value].length
  for (const count of counts.values()) {
    const p = count / n
    bits -= p * Math.log2(p)
  }
  return bits
}

const TEMPLATE = /\$\{[^}]*\}|\$\([^)]*\)|\{\{[^}]*\}\}|<[^>]*>|%\([^)]*\)s|#\{[^}]*\}|@@[^@]+@@|^\$[A-Z_][A-Z0-9_]*$/
const PLACEHOLDER =
  /^(?:change[-_ ]?(?:me|it|this)|password|passw0rd|secret|token|example|sample|dummy|fake|test(?:ing)?|redacted|replace[-_ ]?me|todo|tbd|none|null|nil|undefined|true|false|empty|default|placeholder|your[-_ ].*|my[-_ ]?(?:password|secret|token)|x+|\*+|\.+|-+|0+|1234\d*|abc\d*|admin|root|user(?:name)?|guest|pass|foobar|foo|bar)$/i

const PLACEHOLDER_WORDS = new Set([
  'fake',
  'dummy',
  'example',
  'sample',
  'placeholder',
  'changeme',
  'redacted',
  'replaceme',
  'xxxx',
  'xxxxx',
  'your',
  'insert',
  'notasecret',
  'notsecret',
  'todo',
  'fixme',
])

// Where a value comes from, written in the file's language: an environment lookup
// (process.env.X, os.environ["X"], os.getenv("X"), ENV["X"], System.getenv("X")), a Terraform
// reference (var.x, local.x, data.a.b.c, module.m.out), or a member chain of code
// (config.db.password, settings.SECRET_KEY, secrets.DB_PASSWORD): lowercase first name,
// then at least one `.name`, `[key]` or `(args)` of plain names and quoted strings.
const ENV_LOOKUP =
  /^(?:process\.env|import\.meta\.env|Deno\.env|os\.environ|os\.getenv|os\.Getenv|System\.getenv|Environment\.GetEnvironmentVariable|ENV|getenv)(?:[.[(]|$)/
const MEMBER_CHAIN =
  /^[a-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*|\[(?:"[^"\n]*"|'[^'\n]*'|[\w.$]+)\]|\((?:"[^"\n]*"|'[^'\n]*'|[\w.$, ]*)\))+$/

/**
 * A reference, not a value: an expression of the file's language that names where the
 * credential is kept (environment lookups, Terraform references, member chains of code).
 * The rule: whatever a key is called, a value that is an expression evaluated elsewhere
 * holds no secret of its own. A real password shaped like a lowercase `name.name` chain
 * is missed by design (the cost of not flagging every `config.x.password`).
 */
export function isReference(value: string): boolean {
  const v = value.trim().replace(/[;,]$/, '')
  if (ENV_LOOKUP.test(v)) return true
  if (!MEMBER_CHAIN.test(v)) return false
  // Names, not tokens: `ya29.a0AfH6SM…` (an OAuth token) and JWTs are chains of
  // identifiers too, but their parts are not words (letters, then maybe digits, per `_` part).
  const names = v.replace(/\[[^\]]*\]|\([^)]*\)/g, '').split(/\??\./)
  return names.every(
    (name) =>
      name
        .replace(/^\$/, '')
        .split('_')
        .every((part) => part === '' || /^[A-Za-z]+\d*$/.test(part)) && !/[a-z][A-Z].*\d.*[A-Z]/.test(name),
  )
}

/**
 * Values that are obviously not real secrets: empty, template expressions (`${X}`,
 * `{{ .Values.x }}`, `$(VAR)`, `<password>`), references in code (`process.env.X`,
 * `data.x.y`, `os.environ["X"]`: see isReference), documentation examples (AWS's
 * `...EXAMPLE` keys), SOPS ciphertext (`ENC[...]`), and placeholder words.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim()
  if (v === '') return true
  if (TEMPLATE.test(v)) return true
  if (isReference(v)) return true
  if (v.startsWith('ENC[') && v.endsWith(']')) return true
  if (/EXAMPLE/.test(v)) return true
  if (PLACEHOLDER.test(v)) return true
  // One character repeated: "aaaaaaaa", "********".
  if (/^(.)\1*$/.test(v)) return true
  // Made of words that say it is not real: fake_password, dummy-token, your.api.key.here.
  const words = v.toLowerCase().split(/[^a-z]+/)
  if (words.some((w) => PLACEHOLDER_WORDS.has(w))) return true
  return false
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HEX_HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i
const DIGEST = /(?:^|@)(?:sha(?:1|224|256|384|512)|md5|blake2b?):[0-9a-f]{32,128}$/i
const SRI = /^sha(?:256|384|512)-[A-Za-z0-9+/]{40,}={0,2}$/
const SSH_PUBLIC = /^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-[a-z0-9-]+@openssh\.com) AAAA/
// base64 of "-----BEGIN CERTIFICATE" / "-----BEGIN PUBLIC KEY" / "-----BEGIN X509 CRL"
// Publishable keys are meant to be public (Stripe pk_, Google reCAPTCHA site keys start 6L).
const PUBLISHABLE = /^(?:pk_(?:live|test)_[A-Za-z0-9]{16,}|6L[A-Za-z0-9_-]{38})$/
const B64_PUBLIC_PEM =
  /^LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t|^LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS|^LS0tLS1CRUdJTiBYNTA5IENSTC0tLS0t/

/**
 * High-entropy strings that are not secrets: UUIDs, hashes and digests (image digests,
 * checksums, git commits), subresource integrity hashes, SSH public keys and
 * base64-encoded public certificates.
 */
export function isKnownNonSecret(value: string): boolean {
  const v = value.trim()
  return (
    UUID.test(v) ||
    HEX_HASH.test(v) ||
    PUBLISHABLE.test(v) ||
    DIGEST.test(v) ||
    SRI.test(v) ||
    SSH_PUBLIC.test(v) ||
    B64_PUBLIC_PEM.test(v) ||
    v.includes('-----BEGIN CERTIFICATE-----') ||
    v.includes('-----BEGIN PUBLIC KEY-----')
  )
}

/** Thresholds for the high-entropy rule. */
export interface EntropyThresholds {
  /** Minimum length of a token to consider (default 24). */
  minLength: number
  /**
   * Minimum Shannon entropy in bits per character (default 4.2). A string of n characters
   * cannot exceed log2(n) bits, so shorter values need 0.85 × log2(n) instead when that is
   * lower: 3.9 for 24 characters, which 98% of random 24-character tokens reach.
   */
  bitsPerChar: number
}

/** Defaults chosen so random 24+ character tokens pass and words, paths and hashes do not. */
export const DEFAULT_ENTROPY: EntropyThresholds = { minLength: 24, bitsPerChar: 4.2 }

/**
 * True when a whole value looks like a random secret: long enough, one token of a
 * key-like alphabet, mixed character classes, entropy over the threshold, and not an
 * allowed non-secret (hash, UUID, digest, public key).
 */
export function looksRandom(value: string, thresholds: EntropyThresholds = DEFAULT_ENTROPY): boolean {
  const v = value.trim()
  if (v.length < thresholds.minLength || v.length > 1024) return false
  if (!/^[A-Za-z0-9+/=_\-.~]+$/.test(v)) return false
  // Every test below must pass; the cheap structural ones come first (the webhook runs
  // this on every long string of every object).
  // Paths, URLs, hostnames, versions and dotted identifiers are not secrets: a random
  // token has few separators, so its pieces between them are long.
  if (v.startsWith('/') || v.includes('//') || /^[a-z0-9.-]+$/.test(v)) return false
  // Hex strings are IDs, hashes and digests far more often than secrets: only a
  // secret-named key makes one a finding (hardcoded-secret), not entropy alone.
  if (/^[0-9a-f]+$/i.test(v)) return false
  if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/[0-9]/.test(v)) return false
  const pieces = v.split(/[/._-]+/).filter((p) => p !== '')
  if (pieces.length > 1 && v.length / pieces.length < 10) return false
  if (isPlaceholder(v) || isKnownNonSecret(v)) return false
  return shannonEntropy(v) >= Math.min(thresholds.bitsPerChar, Math.log2(v.length) * 0.85)
}
