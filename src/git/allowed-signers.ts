import { globMatch, type Diagnostic } from '../core/index.js'
import { SSH_KEY_TYPES, sshFingerprint } from './ssh-public-key.js'

/** One line of an allowed-signers file (ssh-keygen(1), ALLOWED SIGNERS). */
export interface AllowedSigner {
  /** Principal patterns as written (`alice@example.com`, `*@example.com`). */
  principals: string[]
  /** Namespace patterns from `namespaces="..."`; undefined = any namespace. */
  namespaces?: string[]
  validAfter?: Date
  validBefore?: Date
  keyType: string
  keyBlob: Buffer
  fingerprint: string
  /** Where the line is, for messages. */
  file: string
  line: number
}

const span = (file: string, line: number) => ({
  file,
  start: { line, column: 1, offset: 0 },
  end: { line, column: 1, offset: 0 },
})

/**
 * Parse an allowed-signers file in git's (ssh-keygen's) format:
 * `principals [options] keytype base64-key [comment]`, `#` comments and blank lines
 * ignored. Options: `namespaces="git,file"`, `valid-after="YYYYMMDD[HHMM[SS]][Z]"`,
 * `valid-before=...`. `cert-authority` lines are not supported (certificate chains are
 * out of scope) and are reported and skipped, as are lines with unknown options, key
 * types or bad base64. Times without `Z` are local time, as ssh-keygen reads them.
 */
export function parseAllowedSigners(
  text: string,
  file: string,
): { signers: AllowedSigner[]; diagnostics: Diagnostic[] } {
  const signers: AllowedSigner[] = []
  const diagnostics: Diagnostic[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const problem = (message: string): void => {
      diagnostics.push({
        code: 'CONFIG_INVALID',
        message: `${file}:${line}: ${message}`,
        span: span(file, line),
        hint: 'format: principals [options] keytype base64-key',
      })
    }
    const tokens = tokenize(trimmed)
    if (tokens.length < 3) return problem('expected principals, a key type and a key')
    const principals = unquote(tokens[0] as string)
      .split(',')
      .filter((p) => p !== '')
    let next = 1
    const signer: Partial<AllowedSigner> = { principals, file, line }
    if (/^(?:ssh-|ecdsa-|sk-)/.test(tokens[1] as string) && !SSH_KEY_TYPES.has(tokens[1] as string)) {
      return problem(`unsupported key type "${tokens[1] as string}" (supported: ${[...SSH_KEY_TYPES].join(', ')})`)
    }
    if (!SSH_KEY_TYPES.has(tokens[1] as string)) {
      const error = applyOptions(tokens[1] as string, signer)
      if (error) return problem(error)
      next = 2
    }
    const keyType = tokens[next]
    const base64 = tokens[next + 1]
    if (keyType === undefined || base64 === undefined) return problem('missing key type or key')
    if (!SSH_KEY_TYPES.has(keyType)) return problem(`unsupported key type "${keyType}"`)
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return problem('key is not base64')
    const blob = Buffer.from(base64, 'base64')
    signers.push({ ...signer, keyType, keyBlob: blob, fingerprint: sshFingerprint(blob) } as AllowedSigner)
  })
  return { signers, diagnostics }
}

/** Split on whitespace, keeping double-quoted runs together (quotes may sit mid-token: a="b c"). */
function tokenize(line: string): string[] {
  const tokens: string[] = []
  let current = ''
  let quoted = false
  for (const ch of line) {
    if (ch === '"') quoted = !quoted
    if (!quoted && (ch === ' ' || ch === '\t')) {
      if (current !== '') tokens.push(current)
      current = ''
    } else {
      current += ch
    }
  }
  if (current !== '') tokens.push(current)
  return tokens
}

const unquote = (s: string): string => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s)

function applyOptions(field: string, signer: Partial<AllowedSigner>): string | undefined {
  const options: string[] = []
  let current = ''
  let quoted = false
  for (const ch of field) {
    if (ch === '"') quoted = !quoted
    if (ch === ',' && !quoted) {
      options.push(current)
      current = ''
    } else current += ch
  }
  options.push(current)
  for (const option of options) {
    const eq = option.indexOf('=')
    const name = (eq < 0 ? option : option.slice(0, eq)).toLowerCase()
    const value = eq < 0 ? undefined : unquote(option.slice(eq + 1))
    if (name === 'cert-authority')
      return 'cert-authority lines are not supported (SSH certificates are out of scope); line skipped'
    if (value === undefined) return `option "${name}" needs a value`
    if (name === 'namespaces') signer.namespaces = value.split(',').filter((n) => n !== '')
    else if (name === 'valid-after' || name === 'valid-before') {
      const date = parseSshTime(value)
      if (!date) return `${name} "${value}" is not YYYYMMDD[HHMM[SS]][Z]`
      if (name === 'valid-after') signer.validAfter = date
      else signer.validBefore = date
    } else return `unknown option "${name}"`
  }
  return undefined
}

/** Parse `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, with `Z` for UTC, else local time. */
export function parseSshTime(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z?)$/.exec(value)
  if (!match) return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0', z] = match
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const
  const date = z === 'Z' ? new Date(Date.UTC(...parts)) : new Date(...parts)
  const [month, day] = z === 'Z' ? [date.getUTCMonth(), date.getUTCDate()] : [date.getMonth(), date.getDate()]
  return Number.isNaN(date.getTime()) || month !== parts[1] || day !== parts[2] ? undefined : date
}

/** OpenSSH pattern-list match: comma-separated globs (`*`, `?`), `!pattern` vetoes. */
export function matchPatternList(value: string, patterns: readonly string[]): boolean {
  let matched = false
  for (const raw of patterns) {
    const negated = raw.startsWith('!')
    const pattern = negated ? raw.slice(1) : raw
    if (globMatch(pattern.toLowerCase(), value.toLowerCase())) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}
