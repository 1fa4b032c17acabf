import { isRecord, resourceRef, type ResourceRef, type Severity } from '../../core/index.js'
import { parseManifests } from '../../yaml/index.js'
import {
  ANY_KEYWORD,
  isSecretName,
  lineColumn,
  looksRandom,
  maskPieces,
  maskText,
  redactedPreview,
  scanObject,
  scanText,
  secretFingerprint,
  shannonEntropy,
  type EntropyThresholds,
  type TextHit,
  type ValueHit,
} from '../../secrets/index.js'

/** A credential found in a file. Holds no secret: a redacted preview and a fingerprint only. */
export interface SecretFinding {
  /** Rule id: `aws-access-key-id`, `private-key`, `kubernetes-secret`, `high-entropy-value`, ... */
  rule: string
  title: string
  severity: Severity
  file: string
  line: number
  column: number
  /** JSON Pointer of the value, when the file parsed as YAML or JSON. */
  pointer?: string
  /** The Kubernetes object that holds it, if any. */
  resource?: ResourceRef
  preview: string
  /** scrypt fingerprint of the value: allow known false positives by it in palisade.yaml. */
  fingerprint: string
  /** Reason from `secrets.allow` in palisade.yaml, when this fingerprint is allowed. */
  allowed?: string
  /** For `--git`: the commit that added the line, and its author. */
  commit?: string
  author?: string
}

/** Options of a file scan. */
export interface SecretScanOptions {
  entropy?: EntropyThresholds
  skipSecretObjects?: boolean
  /** Allowed fingerprints with their reasons. */
  allow?: ReadonlyMap<string, string>
}

const STRUCTURED = /\.(?:ya?ml|json)$/i

interface Located {
  rule: string
  title: string
  severity: Severity
  line: number
  column: number
  pointer?: string
  resource?: ResourceRef
  secret: string
  written: string[]
}

/**
 * Find credentials in one file. YAML and JSON files are parsed and scanned value by value
 * (Kubernetes-aware, see scanObject), and their raw text by the token rules too (comments
 * hold secrets as well); files that do not parse (Helm templates, .env, code) are scanned
 * as text. Each finding carries a redacted preview and a fingerprint, never the value.
 */
export function scanSecretsInFile(file: string, text: string, options: SecretScanOptions = {}): SecretFinding[] {
  const inTests = isTestPath(file)
  return locate(file, text, options)
    .filter((hit) => !(inTests && isTestConstant(hit)))
    .map((hit) => {
      const fingerprint = secretFingerprint(hit.secret)
      const allowed = options.allow?.get(fingerprint)
      const finding: SecretFinding = {
        rule: hit.rule,
        title: hit.title,
        severity: hit.severity,
        file,
        line: hit.line,
        column: hit.column,
        preview: redactedPreview(hit.secret),
        fingerprint,
      }
      if (hit.pointer !== undefined) finding.pointer = hit.pointer
      if (hit.resource) finding.resource = hit.resource
      if (allowed !== undefined) finding.allowed = allowed
      return finding
    })
}

// Test code and fixtures: a folder named test(s), __tests__, spec(s), fixture(s), testdata,
// __mocks__/mock(s), or a file named *.test.*, *.spec.*, *_test.*, test_*.py.
const TEST_FOLDER =
  /(?:^|[\\/])(?:tests?|__tests__|specs?|fixtures?|__fixtures__|testdata|test-data|mocks?|__mocks__)[\\/]/i
const TEST_FILE = /(?:^|[\\/])(?:[^\\/]+[._-](?:test|spec)\.[A-Za-z0-9]+|test_[^\\/]+\.py)$/i

/** Whether a path is test code or a test fixture. */
export function isTestPath(file: string): boolean {
  return TEST_FOLDER.test(file) || TEST_FILE.test(file)
}

/**
 * A password-like constant of a test: found only by its key's name (`password = "hunter2"`),
 * with a readable value (under 3.5 bits of entropy per character). Tests need credentials-shaped strings; such a
 * value is a fixture, not a leak. Provider token formats, private keys, passwords in URLs
 * and random-looking values are still reported in tests.
 */
function isTestConstant(hit: Located): boolean {
  return hit.rule === 'hardcoded-secret' && shannonEntropy(hit.secret) < TEST_CONSTANT_BITS
}

/** Bits per character under which a test's key-named value is a readable constant (`Summer2023!` 3.1, `password123` 3.3; a random 16-character value 3.8+). */
const TEST_CONSTANT_BITS = 3.5

/**
 * The file's text with every secret the scanner finds blanked out (`*`, same length, so
 * line and column numbers still hold). Used for code frames in every report format.
 */
export function redactSecretsInFile(file: string, text: string, options: SecretScanOptions = {}): string {
  const pieces = secretPiecesInFile(file, text, options)
  return pieces.length === 0 ? text : maskText(text, pieces)
}

/**
 * The texts `redactSecretsInFile` blanks out of a file (each secret as written, and its
 * whitespace-separated parts), longest first: for masking other texts cut from the file
 * (diff lines, edits) the same way. Empty when the file holds none.
 */
export function secretPiecesInFile(file: string, text: string, options: SecretScanOptions = {}): string[] {
  if (!mightHoldSecrets(text)) return []
  const hits = locate(file, text, { ...options, skipSecretObjects: false })
  return [...new Set(hits.flatMap((h) => h.written.flatMap(maskPieces)))].sort((a, b) => b.length - a.length)
}

/**
 * A printed string (a finding's message, a resource name, a path, a fix value, a
 * diagnostic) with every credential the token rules find in it blanked out by the same
 * masking as code frames. A string is judged on its own, with no key around it, so only
 * the token rules apply (provider formats, private keys, passwords in addresses).
 */
export function redactSecretsInString(text: string): string {
  if (!ANY_KEYWORD.test(text)) return text
  const hits = scanText(text, { assignments: false })
  return hits.length === 0
    ? text
    : maskText(
        text,
        hits.flatMap((h) => maskPieces(h.secret)),
      )
}

/**
 * A cheap test that a full scan could find something: a token keyword, a secret-like word
 * (key names and Secret objects), or a long token that looks random. False means the
 * scanner would find nothing, so redaction can skip parsing the file.
 */
function mightHoldSecrets(text: string): boolean {
  if (ANY_KEYWORD.test(text) || SECRET_KIND.test(text)) return true
  for (const match of text.matchAll(STRING_KEY)) if (isSecretName(match[1] as string)) return true
  for (const match of text.matchAll(ENV_NAME)) if (isSecretName(match[1] as string)) return true
  for (const match of text.matchAll(JSON_STRING_KEY)) if (isSecretName(match[1] as string)) return true
  for (const match of text.matchAll(LONG_TOKEN)) if (looksRandom(match[0])) return true
  return false
}

const SECRET_KIND = /kind["']?\s*:\s*["']?Secret\b/
// A key with a value on its line that is not a boolean or number (`password: x`, `"apiKey": "x"`, `KEY=x`, `key: |`).
const STRING_KEY =
  /^[ \t-]*["']?([A-Za-z_][\w.-]*)["']?[ \t]*[:=](?![ \t]*(?:true|false|null|~|-?\d+(?:\.\d+)?)?[ \t]*,?[ \t]*(?:#.*)?$)/gm
// A JSON key with a string value anywhere on a line (minified JSON).
const JSON_STRING_KEY = /"([A-Za-z_][\w.-]*)"[ \t]*:[ \t]*"/g
// The name of an env entry (`- name: DB_PASSWORD`), whose value is on another line.
const ENV_NAME = /\bname["']?[ \t]*:[ \t]*["']?([A-Za-z_][\w.-]*)/g
const LONG_TOKEN = /[A-Za-z0-9+/=_.~-]{24,}/g

function locate(file: string, text: string, options: SecretScanOptions): Located[] {
  const entropy = options.entropy === undefined ? {} : { entropy: options.entropy }
  const fromText = (hits: TextHit[]): Located[] =>
    hits.map((h) => ({
      rule: h.rule,
      title: h.title,
      severity: h.severity,
      ...lineColumn(text, h.start),
      secret: h.secret,
      written: [h.secret],
    }))
  if (!STRUCTURED.test(file)) return fromText(scanText(text, entropy))
  const parsed = parseManifests(text, file)
  if (parsed.diagnostics.some((d) => d.code === 'YAML_SYNTAX')) return fromText(scanText(text, entropy))

  const lines = text.split('\n')
  const found: Located[] = []
  for (const document of parsed.documents) {
    if (document.object === null) continue
    const hits: ValueHit[] = scanObject(document.object, {
      ...entropy,
      skipSecretObjects: options.skipSecretObjects ?? false,
    })
    const resource =
      isRecord(document.object) &&
      typeof document.object.kind === 'string' &&
      typeof document.object.apiVersion === 'string'
        ? resourceRef(document.object)
        : undefined
    for (const hit of hits) {
      const { span } = document.locate(hit.pointer)
      const keyLine = lines[span.start.line - 1] ?? ''
      const block = /:\s*[|>][-+0-9]*\s*(?:#.*)?$/.test(keyLine)
      const line = hit.lineInValue > 0 || block ? span.start.line + hit.lineInValue + (block ? 1 : 0) : span.start.line
      found.push({
        rule: hit.rule,
        title: hit.title,
        severity: hit.severity,
        line,
        column: line === span.start.line ? span.start.column : 1,
        pointer: hit.pointer,
        ...(resource ? { resource } : {}),
        secret: hit.secret,
        written: hit.written,
      })
    }
  }
  // Token rules over the raw text find what sits in comments; drop what the values already gave.
  const squash = (s: string): string => s.replace(/\\[rn]|\s+/g, '')
  const known = found.flatMap((f) => [f.secret, ...f.written]).map(squash)
  for (const hit of fromText(scanText(text, { assignments: false }))) {
    const secret = squash(hit.secret)
    if (!known.some((k) => k.includes(secret) || secret.includes(k))) found.push(hit)
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column)
}
