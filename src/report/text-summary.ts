import { SEVERITIES, verdictOf, type CheckResult } from '../core/index.js'
import { isErrorDiagnostic } from './ordering.js'
import type { Paint } from './paint.js'
import type { FormatOptions } from './types.js'

const plural = (n: number, word: string, words = `${word}s`): string => `${n} ${n === 1 ? word : words}`

/** The summary block of the text report; its last line says whether the run blocks. */
export function summaryLines(result: CheckResult, options: FormatOptions, paint: Paint): string[] {
  const { summary } = result
  const counted = summary.findings - summary.waived
  const severities = [...SEVERITIES].reverse().map((s) => `${summary.bySeverity[s]} ${s}`)
  const actions = (['deny', 'warn', 'audit'] as const).map((a) => `${summary.byAction[a]} ${a}`)
  const warnings = result.diagnostics.filter((d) => !isErrorDiagnostic(d)).length
  const lines = [
    paint('bold', 'Summary'),
    `  ${plural(summary.files, 'file')}, ${plural(summary.resources, 'resource')}, ${plural(summary.policies, 'policy', 'policies')}`,
    `  checks:   ${summary.checks.pass} pass, ${summary.checks.fail} fail, ${summary.checks.error} error, ${summary.checks.skip} skip`,
    `  findings: ${counted}${summary.waived > 0 ? ` (and ${summary.waived} waived)` : ''}`,
    `    by severity: ${severities.join(', ')}`,
    `    by action:   ${actions.join(', ')}`,
    `  errors:   ${summary.errors}${warnings > 0 ? ` (and ${plural(warnings, 'warning')})` : ''}${errorsNote(result, options)}`,
  ]
  lines.push(verdictLine(result, options, paint))
  return lines
}

function errorsNote(result: CheckResult, options: FormatOptions): string {
  const { errors } = verdictOf(result.findings, result.diagnostics, options)
  const evaluation = result.findings.filter((f) => f.status === 'error' && !f.waiver).length
  const also = evaluation > 0 ? `, ${plural(evaluation, 'finding')} with status error` : ''
  if (errors > 0) return `${also}; ${errors} ${errors === 1 ? 'blocks' : 'block'}`
  return result.summary.errors + evaluation > 0 && options.errors === 'report'
    ? `${also}; reported only (palisade.yaml errors: report)`
    : also
}

function verdictLine(result: CheckResult, options: FormatOptions, paint: Paint): string {
  const failOn = options.failOn ?? 'info'
  const verdict = verdictOf(result.findings, result.diagnostics, options)
  if (verdict.blocking) {
    const threshold = failOn === 'info' ? '' : ` at or above ${failOn}`
    const parts: string[] = []
    if (verdict.findings > 0)
      parts.push(
        `${plural(verdict.findings, 'finding')} with action deny${threshold} ${verdict.findings === 1 ? 'is' : 'are'} not waived`,
      )
    if (verdict.errors > 0)
      parts.push(
        `${plural(verdict.errors, 'error')} (input that could not be read, parsed, rendered, validated or evaluated) ${verdict.errors === 1 ? 'blocks' : 'block'}`,
      )
    return paint(['bold', 'red'], `Blocking: ${parts.join('; ')}.`)
  }
  const denied = result.findings.filter((f) => f.action === 'deny' && !f.waiver)
  const known = denied.filter((f) => f.baseline === 'existing').length
  if (known > 0 && known === denied.length)
    return paint(
      ['bold', 'green'],
      `Not blocking: ${plural(known, 'deny finding')} ${known === 1 ? 'was' : 'were'} already in the baseline.`,
    )
  if (denied.length > 0)
    return paint(
      ['bold', 'green'],
      `Not blocking: ${plural(denied.length, 'deny finding')} ${denied.length === 1 ? 'is' : 'are'} below the fail-on severity ${failOn}${known > 0 ? ` or already in the baseline` : ''}.`,
    )
  return paint(['bold', 'green'], 'Not blocking: no finding has action deny.')
}
