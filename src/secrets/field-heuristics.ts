/**
 * Heuristics for credentials written into single Kubernetes object fields (env values,
 * ConfigMap data, command arguments): names that say "this is a secret" and values
 * whose shape, from the token catalogue, gives a credential away. Deliberately narrow:
 * a policy that cries wolf gets disabled.
 */
import { hasTokenKeyword } from './keyword-memo.js'
import { TOKEN_RULES } from './token-rules.js'

/** Key or variable names that announce a credential. */
const SECRET_NAME =
  /(passw(or)?d|passphrase|secret|token|api[-_]?key|apikey|private[-_]?key|credential|access[-_]?key|auth[-_]?key|client[-_]?secret|connection[-_]?string|dsn|^azure_.+key$|^oci_cli_key_content$)/i
/** Names that refer to a credential rather than hold one (a file path, a URL, an identifier). */
const REFERENCE_NAME =
  /(_|-|\.)(file|path|dir|url|uri|endpoint|host|name|ref|id|type|length|ttl|timeout|expiry|expiration|header|enabled|required)$/i

/** Whether a key or variable name announces that it holds a credential. */
export function isSecretLikeName(name: string): boolean {
  return SECRET_NAME.test(name) && !REFERENCE_NAME.test(name)
}

interface Shape {
  label: string
  keywords: readonly string[]
  find: RegExp
  accept?: (secret: string, text: string) => boolean
}

// The labelled rules of the one catalogue, in its order (most specific first), each with
// a regex of its own (matchAll starts at a regex's lastIndex: none is shared).
const SHAPES: readonly Shape[] = TOKEN_RULES.flatMap((r) => {
  if (r.label === undefined) return []
  if (r.marker) return [{ label: r.label, keywords: r.keywords, find: new RegExp(r.marker.source, 'g') }]
  return [
    {
      label: r.label,
      keywords: r.keywords,
      find: new RegExp(r.pattern.source, r.pattern.flags),
      ...(r.accept ? { accept: r.accept } : {}),
    },
  ]
})

/**
 * The label of the first token shape of the catalogue (src/secrets/token-rules.ts) that the
 * value contains, or undefined: the same formats, and the same placeholders left alone, as
 * `palisade secrets`.
 */
export function tokenShapeIn(value: string): string | undefined {
  if (!hasTokenKeyword(value)) return undefined
  for (const shape of SHAPES) {
    if (!shape.keywords.some((k) => value.includes(k))) continue
    for (const match of value.matchAll(shape.find)) {
      const secret = match.groups?.s ?? match[0]
      if (!shape.accept || shape.accept(secret, value)) return shape.label
    }
  }
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
