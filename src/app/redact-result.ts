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
  const changed: Partial<Record<keyof Finding, unknown>> = {}
  for (const key of USER_DATA) {
    const value = finding[key]
    if (value === undefined) continue
    const m =
      key === 'resource'
        ? maskedResource(finding.resource)
        : key === 'span'
          ? maskedSpan(finding.span as SourceSpan)
          : masked(value)
    if (m !== value) changed[key] = m
  }
  return Object.keys(changed).length === 0 ? finding : ({ ...finding, ...changed } as Finding)
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
  const file = maskedString(span.file)
  return file === span.file ? span : { ...span, file }
}

const USER_DATA = [
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

function maskedString(text: string): string {
  // The token rules' keyword gate first: a string without any keyword is returned as it is,
  // without hashing it into the cache (most messages are distinct and hold none).
  if (text.length < SHORTEST_SECRET_TEXT || !ANY_KEYWORD.test(text)) return text
  let out = judged.get(text)
  if (out === undefined) {
    const masked = redactSecretsInString(text)
    if (judged.size > 100_000) judged.clear()
    // Detached: a message holds names sliced from its file's text, which the cache would keep alive.
    const key = detachedString(text)
    out = masked === text ? key : masked
    judged.set(key, out)
  }
  return out
}

/**
 * A value with every string in it masked. Objects and arrays without a secret are returned
 * as they are (no copy), so a clean result of 100,000 findings costs one keyword test per string.
 */
export function masked<T>(value: T): T {
  if (typeof value === 'string') return maskedString(value) as T
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    value.forEach((item: unknown, i) => {
      const m = masked(item)
      if (m !== item) (out ??= [...value])[i] = m
    })
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
