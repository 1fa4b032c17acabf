import {
  formatResourceRef,
  verdictOf,
  type CheckResult,
  type Diagnostic,
  type Finding,
  type PolicyMeta,
  type Verdict,
  type WaiverRef,
} from '../core/index.js'
import { sortDiagnostics, sortFindings, isErrorDiagnostic } from './ordering.js'
import {
  notification,
  notificationDescriptors,
  notScannedDescriptor,
  notScannedNotification,
} from './sarif-notifications.js'
import { fillRuleIndexes } from './sarif-rule-fill.js'
import { rulePolicies, sarifRule } from './sarif-rules.js'
import { artifactLocation, rootUri, SRCROOT } from './sarif-uri.js'
import { documentAround, itemsText, stringifyInPieces } from './json-pieces.js'
import type { FixEdit, FormatOptions } from './types.js'

/** Where SARIF readers send users to learn about the tool. */
export const INFORMATION_URI = 'https://palisade.dev/'
/** The schema URI GitHub's SARIF documentation gives. */
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/
const LEVEL = { deny: 'error', warn: 'warning', audit: 'note' } as const

/**
 * SARIF 2.1.0 for GitHub code scanning: one run; a rule (with help, tags and
 * security-severity) for each policy that has findings; one result per finding with exactly
 * one location, a level from its action (deny error, warn warning, audit note), the
 * finding's fingerprint as `partialFingerprints["palisadeFingerprint/v1"]`, and waivers as
 * suppressions. Diagnostics, and sources that were not scanned (options.notScanned), become tool execution notifications; `executionSuccessful` is
 * false when any of them is an error (some input was not analysed).
 *
 * Findings without a file (admission requests) get a logical location only; GitHub's upload
 * rejects results without a physical location, so such results are for other SARIF readers.
 */
export function formatSarif(result: CheckResult, options: FormatOptions): string {
  return [...formatSarifChunks(result, options)].join('')
}

/** formatSarif's text in pieces (results a few hundred at a time), for writing a large report without holding it. */
export function formatSarifChunks(result: CheckResult, options: FormatOptions): Generator<string> {
  const findings = sortFindings(result.findings)
  const rules = rulePolicies(findings, result.policies)
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]))
  const verdict = verdictOf(result.findings, result.diagnostics, options)
  return stringifyInPieces(sarifDocument(result.diagnostics, rules, verdict, options), findings, (f) =>
    withFix(
      sarifResult(f, ruleIndex.get(f.policyId) ?? 0, options.cwd),
      options.fixes?.get(f.fingerprint),
      options.cwd,
    ),
  )
}

/** What the SARIF report prints besides its results, which come as text (a streaming scan's spool). */
export interface SarifReportParts<Piece extends string | Uint8Array = string> {
  diagnostics: readonly Diagnostic[]
  policies: ReadonlyMap<string, PolicyMeta>
  verdict: Verdict
  /** Ids of the policies with results (the rules). */
  policiesWithFindings: ReadonlySet<string>
  findingCount: number
  /** The results' text ({@link sarifResultsText}, files in report order, `,\n` between), in pieces of whole files (UTF-8 bytes: filled in place). */
  resultsText: Iterable<Piece>
}

/** The SARIF results' indentation in the report. */
const RESULTS_INDENT = documentAround((marker) => ({ runs: [{ results: marker }] })).indent
const RULE_MARKER = '\u0000rule:'
/** A rule index left to fill in: the policy's place in the policy set (ids may hold any character). */
const PENDING_RULE = /"ruleIndex": "\\u0000rule:(\d+)\\u0000"/g

/**
 * Findings' results in the SARIF report, as text to spool: their rule indexes, which
 * depend on every policy with results, are left as markers that {@link formatSarifReport}
 * fills in. `policyOrder` is each policy's place in the set.
 */
export function sarifResultsText(
  findings: readonly Finding[],
  policyOrder: ReadonlyMap<string, number>,
  cwd: string | undefined,
): string {
  return itemsText(
    findings,
    (f) => sarifResult(f, `${RULE_MARKER}${policyOrder.get(f.policyId) ?? -1}\u0000` as unknown as number, cwd),
    RESULTS_INDENT,
  )
}

/** The SARIF report from its parts: the same bytes as formatSarifChunks of the whole result. */
export function* formatSarifReport<Piece extends string | Uint8Array>(
  parts: SarifReportParts<Piece>,
  options: FormatOptions,
): Generator<string | Uint8Array> {
  const rules = [...parts.policiesWithFindings]
    .map((id) => parts.policies.get(id) as PolicyMeta)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]))
  const byOrder = [...parts.policies.keys()].map((id) => ruleIndex.get(id) ?? 0)
  const around = documentAround(sarifDocument(parts.diagnostics, rules, parts.verdict, options))
  if (parts.findingCount === 0) {
    yield `${around.head}[]${around.tail}`
    return
  }
  yield `${around.head}[\n`
  for (const text of parts.resultsText)
    yield typeof text === 'string'
      ? text.replace(PENDING_RULE, (_, order: string) => `"ruleIndex": ${byOrder[Number(order)]}`)
      : fillRuleIndexes(text, byOrder)
  yield `\n${around.indent}]${around.tail}`
}

/** The SARIF document around its results (`marker` where they go). */
function sarifDocument(
  diagnosticList: readonly Diagnostic[],
  rules: readonly PolicyMeta[],
  verdict: Verdict,
  options: FormatOptions,
): (marker: string) => unknown {
  const { cwd } = options
  const diagnostics = sortDiagnostics(diagnosticList)
  const notScanned = options.notScanned ?? []
  const descriptors = [...notificationDescriptors(diagnostics), ...notScannedDescriptor(notScanned)]
  const driver = {
    name: 'palisade',
    version: options.toolVersion,
    ...(SEMVER.test(options.toolVersion) ? { semanticVersion: options.toolVersion } : {}),
    informationUri: INFORMATION_URI,
    rules: rules.map(sarifRule),
    ...(descriptors.length > 0 ? { notifications: descriptors } : {}),
  }
  const invocation = {
    executionSuccessful: !diagnostics.some(isErrorDiagnostic),
    ...(diagnostics.length + notScanned.length > 0
      ? {
          toolExecutionNotifications: [
            ...diagnostics.map((d) => notification(d, descriptors, cwd)),
            ...notScanned.map((s) => notScannedNotification(s, descriptors, cwd)),
          ],
        }
      : {}),
    ...(cwd === undefined ? {} : { workingDirectory: { uri: rootUri(cwd) } }),
    // Whether the run blocks (the CLI's exit code 1), and why: SARIF has no field of its own for it.
    properties: { blocking: verdict.blocking, blockingFindings: verdict.findings, blockingErrors: verdict.errors },
  }
  const run = (results: unknown): Record<string, unknown> => ({
    tool: { driver },
    invocations: [invocation],
    ...(cwd === undefined ? {} : { originalUriBaseIds: { [SRCROOT]: { uri: rootUri(cwd) } } }),
    results,
    columnKind: 'utf16CodeUnits',
  })
  return (marker) => ({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run(marker)] })
}

function sarifResult(f: Finding, ruleIndex: number, cwd: string | undefined): Record<string, unknown> {
  const resource = formatResourceRef(f.resource)
  const logical = { name: f.resource.name, fullyQualifiedName: resource, kind: 'resource' }
  const span = f.span
  const location = span
    ? {
        physicalLocation: {
          artifactLocation: artifactLocation(span.file, cwd),
          region: {
            startLine: span.start.line,
            startColumn: span.start.column,
            endLine: Math.max(span.end.line, span.start.line),
            // GitHub wants a non-empty region; endColumn is the column after the last character.
            endColumn:
              span.end.line > span.start.line ? span.end.column : Math.max(span.end.column, span.start.column + 1),
          },
        },
        logicalLocations: [logical],
      }
    : { logicalLocations: [logical] }
  return {
    ruleId: f.policyId,
    ruleIndex,
    level: LEVEL[f.action],
    message: { text: f.message },
    locations: [location],
    partialFingerprints: { 'palisadeFingerprint/v1': f.fingerprint },
    ...(f.waiver ? { suppressions: [suppression(f.waiver)] } : {}),
    // scan --baseline: SARIF's own baseline states (§3.27.24), which code scanning understands.
    ...(f.baseline ? { baselineState: f.baseline === 'new' ? 'new' : 'unchanged' } : {}),
    properties: {
      resource: {
        apiVersion: f.resource.apiVersion,
        kind: f.resource.kind,
        namespace: f.resource.namespace ?? null,
        name: f.resource.name,
      },
      path: f.path,
      action: f.action,
      status: f.status,
      severity: f.severity,
      environment: f.environment ?? null,
      messageId: f.messageId,
      ...(f.renders
        ? {
            renders: f.renders.map((r) => ({
              application: r.application,
              environment: r.environment ?? null,
              action: r.action,
              ...(r.waived ? { waived: true } : {}),
            })),
          }
        : {}),
    },
  }
}

/**
 * SARIF `fixes` (§3.55): one artifact change of whole lines. Deleting lines `start` to
 * `end - 1` is the region from column 1 of `start` to column 1 of `end`; an insertion is
 * the empty region at column 1 of `start`.
 */
function withFix(
  result: Record<string, unknown>,
  fix: FixEdit | undefined,
  cwd: string | undefined,
): Record<string, unknown> {
  if (!fix) return result
  const deletedRegion = { startLine: fix.start, startColumn: 1, endLine: fix.end, endColumn: 1 }
  const change = {
    artifactLocation: artifactLocation(fix.file, cwd),
    replacements: [{ deletedRegion, insertedContent: { text: fix.after } }],
  }
  return { ...result, fixes: [{ description: { text: fix.description }, artifactChanges: [change] }] }
}

/** An annotation in the manifest is a suppression in the analysed file itself; configuration is external. */
function suppression(w: WaiverRef): Record<string, unknown> {
  const by = [w.owner, w.expires === undefined ? undefined : `until ${w.expires}`].filter((s) => s !== undefined)
  return {
    kind: w.source === 'annotation' ? 'inSource' : 'external',
    status: 'accepted',
    justification: by.length > 0 ? `${w.reason} (${by.join(', ')})` : w.reason,
  }
}
