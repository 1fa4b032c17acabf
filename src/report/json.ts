import type { CheckResult, Diagnostic, Finding } from '../core/index.js'
import { verdictOf, type Verdict } from '../core/index.js'
import { indented, jsonFindingsText } from './json-finding.js'
import { sortDiagnostics, sortFindings } from './ordering.js'
import type { FormatOptions } from './types.js'

/**
 * The machine-readable report of the DESIGN.md contract (docs/schemas/scan-output.schema.json):
 * `{ tool, summary, findings, errors }`. Keys are always present (missing values are null,
 * except `waiver` and `fix`, present only when the finding has one, and `baseline`,
 * `owners`, and `commit` with `author`, `paths` and `signer`, present only on baseline
 * scans, review findings and commit findings, and `renders`, present only on findings of rendered resources; `fixed` is present only on baseline scans), findings are sorted
 * by file, line, column and policy, and the output ends with a newline: the same result
 * always gives the same bytes.
 */
export function formatJson(result: CheckResult, options: FormatOptions): string {
  return [...formatJsonChunks(result, options)].join('')
}

/** Findings per chunk of {@link formatJsonChunks}. */
const CHUNK = 500

/**
 * formatJson's text in pieces, for writing a large report without holding all of it (and an
 * object per finding) in memory at once: joined, the pieces are exactly formatJson's text,
 * `JSON.stringify(report, null, 2)` plus a newline.
 */
export function* formatJsonChunks(result: CheckResult, options: FormatOptions): Generator<string> {
  const verdict = verdictOf(result.findings, result.diagnostics, options)
  const findings = sortFindings(result.findings)
  yield* formatJsonReport(
    { ...result, verdict, findingCount: findings.length, findingText: findingPieces(findings) },
    options,
  )
}

/** What the JSON report prints besides its findings, which come as text (a streaming scan's spool). */
export interface JsonReportParts<Piece extends string | Uint8Array = string> {
  summary: CheckResult['summary']
  diagnostics: readonly Diagnostic[]
  fixed?: readonly Finding[]
  verdict: Verdict
  findingCount: number
  /** The findings' text in report order ({@link jsonFindingsText}), separators included, in pieces (UTF-8 bytes copied as they are). */
  findingText: Iterable<Piece>
}

/** The findings' text, CHUNK findings to a piece. */
function* findingPieces(findings: readonly Finding[]): Generator<string> {
  for (let from = 0; from < findings.length; from += CHUNK)
    yield `${from === 0 ? '' : ',\n'}${jsonFindingsText(findings.slice(from, from + CHUNK))}`
}

/**
 * The JSON report from its parts: the same bytes as formatJsonChunks of the whole result,
 * with the findings' text taken as it comes (a streaming scan's spool, in report order).
 */
export function* formatJsonReport<Piece extends string | Uint8Array>(
  parts: JsonReportParts<Piece>,
  options: FormatOptions,
): Generator<string | Piece> {
  const { summary, verdict } = parts
  const fields: [string, unknown][] = [
    ['tool', { name: 'palisade', version: options.toolVersion }],
    [
      'summary',
      {
        files: summary.files,
        resources: summary.resources,
        policies: summary.policies,
        checks: {
          pass: summary.checks.pass,
          fail: summary.checks.fail,
          error: summary.checks.error,
          skip: summary.checks.skip,
        },
        findings: summary.findings,
        bySeverity: {
          critical: summary.bySeverity.critical,
          high: summary.bySeverity.high,
          medium: summary.bySeverity.medium,
          low: summary.bySeverity.low,
          info: summary.bySeverity.info,
        },
        byAction: { deny: summary.byAction.deny, warn: summary.byAction.warn, audit: summary.byAction.audit },
        waived: summary.waived,
        errors: summary.errors,
        blocking: verdict.blocking,
        blockingFindings: verdict.findings,
        blockingErrors: verdict.errors,
      },
    ],
    ['findings', undefined],
    ['errors', sortDiagnostics(parts.diagnostics).map(jsonError)],
    ...(parts.fixed ? [['fixed', sortFindings(parts.fixed)] as [string, unknown]] : []),
    ...Object.entries(options.jsonExtra ?? {}).filter(([, value]) => value !== undefined),
  ]
  yield '{\n'
  for (const [i, [key, value]] of fields.entries()) {
    const comma = i < fields.length - 1 ? ',' : ''
    if (key === 'findings') {
      yield* findingsArray(key, parts.findingCount, parts.findingText, comma)
      continue
    }
    if (key === 'fixed') {
      const fixed = value as readonly Finding[]
      yield* findingsArray(key, fixed.length, findingPieces(fixed), comma)
      continue
    }
    yield `  ${JSON.stringify(key)}: ${indented(JSON.stringify(value, null, 2), '  ')}${comma}\n`
  }
  yield '}\n'
}

/** A findings array: each finding's text printed directly (the bytes of JSON.stringify(finding, null, 2) nested two levels). */
function* findingsArray<Piece extends string | Uint8Array>(
  key: string,
  count: number,
  text: Iterable<Piece>,
  comma: string,
): Generator<string | Piece> {
  if (count === 0) {
    yield `  ${JSON.stringify(key)}: []${comma}\n`
    return
  }
  yield `  ${JSON.stringify(key)}: [\n`
  yield* text
  yield `\n  ]${comma}\n`
}

function jsonError(d: Diagnostic): Record<string, unknown> {
  return {
    file: d.span?.file ?? null,
    line: d.span?.start.line ?? null,
    column: d.span?.start.column ?? null,
    message: d.message,
    code: d.code,
    severity: d.severity ?? 'error',
    hint: d.hint ?? null,
  }
}
