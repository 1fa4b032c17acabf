import { detachedString, type CheckResult, type Finding, type ResourceRef, type SourceSpan } from '../core/index.js'
import { redactSecretsInString } from '../git/index.js'
import { ANY_KEYWORD } from '../secrets/index.js'
import { withRedactedSources } from './redact-sources.js'

/**
 * Mask credentials in every string a report prints of a result: finding messages,
 * resource names and namespaces, paths, files, fix values, waiver reasons, diagnostics
 * and the per-check records, with the masking code frames get (`withRedactedSources` handles
 * the source texts). Done once, on the result, before any format sees it, so text, JSON,
 * SARIF, JUnit and Markdown all print the same masked strings. Idempotent.
 */
export function withMaskedStrings(result: CheckResult): CheckResult {
  return {
    ...result,
    findings: result.findings.map(maskedFinding),
    diagnostics: result.diagnostics.map(masked),
    ...(result.checks ? { checks: result.checks.map(masked) } : {}),
  }
}

/** Both redactions: the source texts and every printed string. What a use case hands to a report. */
export function redactedResult(result: CheckResult): CheckResult {
  return withMaskedStrings(withRedactedSources(result))
}

/**
 * A finding with its user-data strings masked. The fields that come from Palisade itself
 * (policy id, severity, action, category, controls, fingerprint) hold no input text and
 * are skipped: a scan with thousands of findings pays for its messages, names and paths only.
 */
function maskedFinding(finding: Finding): Finding {
  // Each field read by name, not by a key from a list: a keyed read of ten names is megamorphic
  // and cost more than the masking itself. USER_DATA lists the same fields (a test keeps them equal).
  const f = finding
  const message = typeof f.message === 'string' ? maskedString(f.message) : masked(f.message)
  const resource = f.resource === undefined ? undefined : maskedResource(f.resource)
  const path = f.path === undefined ? undefined : maskedRepeated(f.path)
  // A stable path names list items (containers) and is mostly distinct, unlike paths: the keyword
  // gate first, as for messages, not the memo. It is the path itself when no item has a name.
  const stablePath =
    f.stablePath === undefined ? undefined : f.stablePath === f.path ? path : maskedString(f.stablePath)
  const span = f.span === undefined ? undefined : maskedSpan(f.span)
  const fix = f.fix === undefined ? undefined : masked(f.fix)
  const waiver = f.waiver === undefined ? undefined : masked(f.waiver)
  const owners = f.owners === undefined ? undefined : masked(f.owners)
  const commit = f.commit === undefined ? undefined : masked(f.commit)
  const environment = f.environment === undefined ? undefined : masked(f.environment)
  if (
    message === f.message &&
    resource === f.resource &&
    path === f.path &&
    stablePath === f.stablePath &&
    span === f.span &&
    fix === f.fix &&
    waiver === f.waiver &&
    owners === f.owners &&
    commit === f.commit &&
    environment === f.environment
  )
    return finding
  const out: Finding = { ...finding, message }
  if (resource !== undefined) out.resource = resource
  if (path !== undefined) out.path = path
  if (stablePath !== undefined) out.stablePath = stablePath
  if (span !== undefined) out.span = span
  if (fix !== undefined) out.fix = fix
  if (waiver !== undefined) out.waiver = waiver
  if (owners !== undefined) out.owners = owners
  if (commit !== undefined) out.commit = commit
  if (environment !== undefined) out.environment = environment
  return out
}

// Findings of one resource share its ref: each is walked once.
const resources = new WeakMap<ResourceRef, ResourceRef>()

function maskedResource(ref: ResourceRef): ResourceRef {
  let out = resources.get(ref)
  if (out === undefined) {
    out = masked(ref)
    resources.set(ref, out)
  }
  return out
}

/** A span's only printed string is its file (the rest are numbers). */
function maskedSpan(span: SourceSpan): SourceSpan {
  const file = maskedRepeated(span.file)
  return file === span.file ? span : { ...span, file }
}

/** The fields of a finding that can hold input text: the ones maskedFinding masks. */
export const USER_DATA = [
  'message',
  'resource',
  'path',
  'stablePath',
  'span',
  'fix',
  'waiver',
  'owners',
  'commit',
  'environment',
] as const satisfies readonly (keyof Finding)[]

/** No token rule matches a shorter text (the shortest match, a URL password `ab://:pwd@h`, has 11). */
const SHORTEST_SECRET_TEXT = 10

// Files, kinds, namespaces and names repeat across findings: each distinct string is judged once.
const judged = new Map<string, string>()
const JUDGED_MAX = 100_000
const SLASH = 0x2f

/**
 * A string masked, for strings that are mostly distinct (messages name their resource):
 * the keyword gate first, and only a string with a keyword is looked up in (and added to) the memo.
 */
function maskedString(text: string): string {
  // The token rules' keyword gate first: a string without any keyword is returned as it is,
  // without hashing it into the cache (most messages are distinct and hold none).
  if (text.length < SHORTEST_SECRET_TEXT || !ANY_KEYWORD.test(text)) return text
  return judge(text)
}

/**
 * A string masked, for strings that repeat across findings (paths, files, fix paths): the memo
 * first, so each distinct string passes the keyword gate once. Clean strings are remembered too
 * (as themselves); the memo is the same function of the text as `maskedString`, only cheaper.
 */
function maskedRepeated(text: string): string {
  if (text.length < SHORTEST_SECRET_TEXT) return text
  const known = judged.get(text)
  if (known !== undefined) return known === text ? text : known
  if (!ANY_KEYWORD.test(text)) {
    remember(detachedString(text), undefined)
    return text
  }
  return judge(text)
}

function judge(text: string): string {
  let out = judged.get(text)
  if (out === undefined) {
    const masked = redactSecretsInString(text)
    // Detached: a message holds names sliced from its file's text, which the cache would keep alive.
    const key = detachedString(text)
    out = masked === text ? key : masked
    remember(key, out)
  }
  return out
}

/** Bounded: hostile input with endless distinct strings costs at most the cap. */
function remember(key: string, out: string | undefined): void {
  if (judged.size >= JUDGED_MAX) judged.clear()
  judged.set(key, out ?? key)
}

/**
 * A value with every string in it masked. Objects and arrays without a secret are returned
 * as they are (no copy), so a clean result of 100,000 findings costs one keyword test per string.
 */
export function masked<T>(value: T): T {
  if (typeof value === 'string') {
    // A pointer (a fix's path) repeats across findings; other text is mostly distinct.
    return (value.charCodeAt(0) === SLASH ? maskedRepeated(value) : maskedString(value)) as T
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      const m = masked(item)
      if (m !== item) (out ??= [...(value as unknown[])])[i] = m
    }
    return (out ?? value) as T
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>
    let out: Record<string, unknown> | undefined
    // Keys, not entries: no [key, value] array per property of every fix of every finding.
    for (const key of Object.keys(record)) {
      const item = record[key]
      const m = masked(item)
      if (m !== item) (out ??= { ...record })[key] = m
    }
    return (out ?? value) as T
  }
  return value
}
