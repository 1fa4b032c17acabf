/**
 * Heuristics for credentials written into manifests: names that say "this is a
 * secret" and values whose shape gives a credential away. Deliberately narrow: a
 * policy that cries wolf gets disabled. The entropy and provider-format scanner for
 * whole repositories lives in src/git; these look only at Kubernetes object fields.
 */

/** Key or variable names that announce a credential. */
const SECRET_NAME = /(passw(or)?d|passphrase|secret|token|api[-_]?key|apikey|private[-_]?key|credential|access[-_]?key|auth[-_]?key|client[-_]?secret|connection[-_]?string|dsn|^azure_.+key$|^oci_cli_key_content$)/i
/** Names that refer to a credential rather than hold one (a file path, a URL, an identifier). */
const REFERENCE_NAME = /(_|-|\.)(file|path|dir|url|uri|endpoint|host|name|ref|id|type|length|ttl|timeout|expiry|expiration|header|enabled|required)$/i

/** Provider token formats and key material, each with a short label for messages. */
const TOKEN_SHAPES: readonly (readonly [string, RegExp])[] = [
  // PEM uses five dashes; mangled copies with fewer still carry the key.
  ['a private key', /-{3,}BEGIN ([A-Z0-9]+ +)*PRIVATE KEY( BLOCK)?-{3,}/],
  ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['a GitHub fine-grained token', /\bgithub_pat_[A-Za-z0-9_]{60,}\b/],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}\b/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/],
  ['a Stripe live key', /\b[sr]k_live_[A-Za-z0-9]{20,}\b/],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['credentials in a URL', /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@/i],
]

/** Whether a key or variable name announces that it holds a credential. */
export function isSecretLikeName(name: string): boolean {
  return SECRET_NAME.test(name) && !REFERENCE_NAME.test(name)
}

/** The label of the first token shape the value contains, or undefined. */
export function tokenShapeIn(value: string): string | undefined {
  for (const [label, pattern] of TOKEN_SHAPES) if (pattern.test(value)) return label
  return undefined
}

/**
 * Whether a value under a secret-like name looks like a real credential rather than a
 * placeholder: non-empty, no variable reference (`$(VAR)`, `${VAR}`), not a path.
 */
export function isLiteralCredential(value: string): boolean {
  const v = value.trim()
  if (v.length < 4) return false
  if (/^\$[({]/.test(v) || /\$\{[^}]+\}|\$\([^)]+\)/.test(v)) return false
  if (v.startsWith('/')) return false
  if (/^(true|false|yes|no|none|null|changeme|<[^>]+>|\*+|x+)$/i.test(v)) return false
  return true
}
