import type { CheckResult, CommitRef, Diagnostic, Finding, FixProposal, RenderRef, WaiverRef } from '../core/index.js'
import { verdictOf } from '../core/index.js'
import { controlsByFramework } from './controls.js'
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
  const { summary } = result
  const verdict = verdictOf(result.findings, result.diagnostics, options)
  const fields: [string, unknown][] = [
    ['tool', { name: 'palisade', version: options.toolVersion }],
    [
      'summary',
      {
        files: summary.files,
        resources: summary.resources,
        policies: summary.policies,
        checks: { pass: summary.checks.pass, fail: summary.checks.fail, error: summary.checks.error, skip: summary.checks.skip },
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
    ['findings', sortFindings(result.findings)],
    ['errors', sortDiagnostics(result.diagnostics).map(jsonError)],
    ...(result.fixed ? [['fixed', sortFindings(result.fixed)] as [string, unknown]] : []),
    ...Object.entries(options.jsonExtra ?? {}).filter(([, value]) => value !== undefined),
  ]
  yield '{\n'
  for (const [i, [key, value]] of fields.entries()) {
    const comma = i < fields.length - 1 ? ',' : ''
    if (key !== 'findings' && key !== 'fixed') {
      yield `  ${JSON.stringify(key)}: ${indented(JSON.stringify(value, null, 2), '  ')}${comma}\n`
      continue
    }
    const findings = value as readonly Finding[]
    if (findings.length === 0) {
      yield `  ${JSON.stringify(key)}: []${comma}\n`
      continue
    }
    yield `  ${JSON.stringify(key)}: [\n`
    for (let from = 0; from < findings.length; from += CHUNK) {
      // One stringify per piece: `[\n  {...},\n  {...}\n]` indented once more, without its brackets.
      const piece = indented(JSON.stringify(findings.slice(from, from + CHUNK).map(jsonFinding), null, 2), '  ')
      yield `${piece.slice(2, piece.length - 4)}${from + CHUNK < findings.length ? ',' : ''}\n`
    }
    yield `  ]${comma}\n`
  }
  yield '}\n'
}

/** A JSON text nested at `prefix` (JSON strings never hold a raw line break). */
function indented(json: string, prefix: string): string {
  return json.replaceAll('\n', `\n${prefix}`)
}

function jsonFinding(f: Finding): Record<string, unknown> {
  return {
    policy: f.policyId,
    severity: f.severity,
    message: f.message,
    action: f.action,
    status: f.status,
    resource: { apiVersion: f.resource.apiVersion, kind: f.resource.kind, namespace: f.resource.namespace ?? null, name: f.resource.name },
    path: f.path,
    file: f.span?.file ?? null,
    line: f.span?.start.line ?? null,
    column: f.span?.start.column ?? null,
    environment: f.environment ?? null,
    fingerprint: f.fingerprint,
    controls: controlsByFramework(f.controls),
    messageId: f.messageId,
    category: f.category,
    ...(f.waiver ? { waiver: jsonWaiver(f.waiver) } : {}),
    ...(f.fix ? { fix: jsonFix(f.fix) } : {}),
    ...(f.baseline ? { baseline: f.baseline } : {}),
    ...(f.owners ? { owners: [...f.owners] } : {}),
    ...(f.commit ? jsonCommit(f.commit) : {}),
    ...(f.renders ? { renders: f.renders.map(jsonRender) } : {}),
  }
}

function jsonRender(r: RenderRef): Record<string, unknown> {
  return { application: r.application, environment: r.environment ?? null, action: r.action, ...(r.waived ? { waived: true } : {}) }
}

function jsonCommit(c: CommitRef): Record<string, unknown> {
  return { commit: c.id, ...(c.author === undefined ? {} : { author: c.author }), ...(c.paths ? { paths: [...c.paths] } : {}), ...(c.signer === undefined ? {} : { signer: c.signer }) }
}

function jsonWaiver(w: WaiverRef): Record<string, unknown> {
  return { source: w.source, reason: w.reason, owner: w.owner ?? null, expires: w.expires ?? null }
}

function jsonFix(fix: FixProposal): Record<string, unknown> {
  return { safety: fix.safety, patch: fix.patch.map((op) => ({ op: op.op, path: op.path, ...(op.value === undefined ? {} : { value: op.value }) })) }
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
