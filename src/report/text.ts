import {
  SEVERITIES,
  formatResourceRef,
  type CheckResult,
  type Diagnostic,
  type Finding,
  type RenderRef,
  type Severity,
} from '../core/index.js'
import { codeFrame } from './code-frame.js'
import { sortDiagnostics, sortFindings } from './ordering.js'
import { createPaint, type Paint, type Style } from './paint.js'
import { printable, printableLines } from './printable.js'
import { summaryLines } from './text-summary.js'
import type { FormatOptions } from './types.js'

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: ['bold', 'magenta'],
  high: 'red',
  medium: 'yellow',
  low: 'blue',
  info: 'gray',
}
const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse()
const ACTION_STYLE: Record<Finding['action'], Style> = { deny: ['bold', 'red'], warn: 'yellow', audit: 'cyan' }

/**
 * The human report: findings grouped by file (files sorted, findings by line), each as
 * `file:line:col  severity  ACTION  policy-id  message` with a code frame; findings without
 * a file grouped under their resource; then diagnostics; then `beforeSummary` (a GitOps
 * scan's sources); then a summary whose last line
 * says whether the run blocks. ANSI colour only when `options.color`; every character that
 * comes from the input is made printable, so hostile manifests cannot drive the terminal.
 */
export function formatText(result: CheckResult, options: FormatOptions): string {
  const paint = createPaint(options.color)
  const out: string[] = []
  const all = sortFindings(result.findings)
  // The lead, for a reader who will not scroll through every finding (--verbose is for those who will).
  if (all.length > 0 && !options.verbose) out.push(...overviewLines(all, paint), '')
  // Critical and high first, in full; then the rest, in full with --verbose, else one line each.
  const severe = all.filter((f) => f.severity === 'critical' || f.severity === 'high')
  const rest = all.filter((f) => f.severity !== 'critical' && f.severity !== 'high')
  const full = new Set<Finding>(options.verbose ? all : severe)
  let group: string | undefined
  for (const finding of [...severe, ...rest]) {
    const key = finding.span?.file ?? `\u0000${formatResourceRef(finding.resource)}`
    if (group !== undefined && (full.has(finding) || key !== group)) out.push('')
    if (key !== group) {
      out.push(
        paint(
          ['bold', 'underline'],
          printable(finding.span ? finding.span.file : `${formatResourceRef(finding.resource)} (no source file)`),
        ),
      )
      group = key
    }
    out.push(...findingLines(finding, result, paint, full.has(finding)))
  }
  const brief = all.length - full.size
  if (brief > 0)
    out.push(
      '',
      paint(
        'dim',
        `${brief} finding${brief === 1 ? '' : 's'} of medium, low or info severity shown briefly: --verbose shows every finding in full.`,
      ),
    )
  if (result.findings.length === 0) out.push(paint('green', 'No findings.'))

  const diagnostics = sortDiagnostics(result.diagnostics)
  if (diagnostics.length > 0) {
    out.push('', paint('bold', 'Problems'))
    diagnostics.forEach((diagnostic, i) =>
      out.push(...(i > 0 ? [''] : []), ...diagnosticLines(diagnostic, result, paint)),
    )
  }
  // The sections before the summary quote input (application names, repository URLs, paths): printable too.
  const before = options.beforeSummary?.trim()
  if (before) out.push('', printableLines(before))
  out.push('', ...summaryLines(result, options, paint))
  return `${out.join('\n')}\n`
}

/** The report's lead: findings by severity, and by policy (most severe first, then most frequent). */
function overviewLines(findings: readonly Finding[], paint: Paint): string[] {
  const counted = findings.filter((f) => !f.waiver)
  const severities = SEVERITY_ORDER.map((s) => `${counted.filter((f) => f.severity === s).length} ${s}`)
  const policies = new Map<string, { severity: Severity; actions: Map<string, number>; total: number }>()
  for (const f of counted) {
    const entry = policies.get(f.policyId) ?? { severity: f.severity, actions: new Map<string, number>(), total: 0 }
    entry.total++
    entry.actions.set(f.action, (entry.actions.get(f.action) ?? 0) + 1)
    if (SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(entry.severity)) entry.severity = f.severity
    policies.set(f.policyId, entry)
  }
  const rows = [...policies].sort(
    ([ia, a], [ib, b]) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      b.total - a.total ||
      (ia < ib ? -1 : 1),
  )
  const width = Math.max(0, ...rows.map(([id]) => id.length))
  const lines = [
    paint(
      'bold',
      `Findings: ${severities.join(', ')}${counted.length < findings.length ? ` (and ${findings.length - counted.length} waived)` : ''}`,
    ),
  ]
  for (const [id, p] of rows) {
    const actions = (['deny', 'warn', 'audit'] as const)
      .filter((a) => p.actions.has(a))
      .map((a) => `${p.actions.get(a)} ${a}`)
      .join(', ')
    lines.push(
      `  ${paint(SEVERITY_STYLE[p.severity], p.severity.padEnd(8))}  ${String(p.total).padStart(5)}  ${printable(id).padEnd(width)}  ${actions}`,
    )
  }
  return lines
}

/** A finding in full (head, where, renders, status, waiver, code frame), or brief: what a reader must not miss (head, renders, status). */
function findingLines(finding: Finding, result: CheckResult, paint: Paint, inFull = true): string[] {
  const { span } = finding
  const where = span ? `${span.file}:${span.start.line}:${span.start.column}` : formatResourceRef(finding.resource)
  const action = paint(finding.waiver ? 'dim' : ACTION_STYLE[finding.action], finding.action.toUpperCase().padEnd(5))
  const head = [
    paint('bold', printable(where)),
    paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(8)),
    action,
    paint('dim', printable(finding.policyId)),
    printable(finding.message),
  ]
  const lines = [`  ${head.join('  ')}`]
  const details = [
    span ? `in ${formatResourceRef(finding.resource)} at ${finding.path || '/'}` : `at ${finding.path || '/'}`,
  ]
  if (finding.environment !== undefined) details.push(`env ${finding.environment}`)
  if (inFull) lines.push(`    ${paint('dim', printable(details.join(', ')))}`)
  if (finding.renders && finding.renders.length > 1)
    lines.push(
      `    ${paint('dim', printable(`in ${finding.renders.length} renders: ${finding.renders.map(renderLabel).join('; ')}`))}`,
    )
  if (finding.status === 'error')
    lines.push(`    ${paint('red', 'status error: the policy could not be evaluated on this resource')}`)
  if (!inFull) return lines
  if (finding.waiver) {
    const { reason, owner, expires } = finding.waiver
    const extra = [owner, expires === undefined ? undefined : `until ${expires}`].filter((s) => s !== undefined)
    lines.push(
      `    ${paint('cyan', printable(`waived: ${reason}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`))}`,
    )
  }
  const text = span ? result.sources.get(span.file) : undefined
  if (span && text !== undefined) lines.push(...codeFrame(text, span, paint))
  return lines
}

function renderLabel(r: RenderRef): string {
  return `${r.application} (${[r.environment, r.waived ? `${r.action}, waived` : r.action].filter((x) => x !== undefined).join(', ')})`
}

function diagnosticLines(diagnostic: Diagnostic, result: CheckResult, paint: Paint): string[] {
  const { span } = diagnostic
  const level = diagnostic.severity === 'warning' ? paint('yellow', 'warning') : paint(['bold', 'red'], 'error')
  const head = [level, paint('dim', diagnostic.code), printable(diagnostic.message)]
  if (span) head.unshift(paint('bold', printable(`${span.file}:${span.start.line}:${span.start.column}`)))
  const lines = [`  ${head.join('  ')}`]
  if (diagnostic.hint !== undefined) lines.push(`    ${paint('cyan', printable(`hint: ${diagnostic.hint}`))}`)
  const text = span ? result.sources.get(span.file) : undefined
  if (span && text !== undefined) lines.push(...codeFrame(text, span, paint))
  return lines
}
