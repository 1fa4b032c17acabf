import { SEVERITIES, type CheckResult } from '../core/index.js'
import { isBlocking } from '../core/index.js'
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
    `  errors:   ${summary.errors}${warnings > 0 ? ` (and ${plural(warnings, 'warning')})` : ''}`,
  ]
  lines.push(verdict(result, options, paint))
  return lines
}

function verdict(result: CheckResult, options: FormatOptions, paint: Paint): string {
  const failOn = options.failOn ?? 'info'
  const denied = result.findings.filter((f) => f.action === 'deny' && !f.waiver)
  const blocking = denied.filter((f) => isBlocking(f, failOn)).length
  if (blocking > 0) {
    const threshold = failOn === 'info' ? '' : ` at or above ${failOn}`
    return paint(['bold', 'red'], `Blocking: ${plural(blocking, 'finding')} with action deny${threshold} ${blocking === 1 ? 'is' : 'are'} not waived.`)
  }
  const known = denied.filter((f) => f.baseline === 'existing').length
  if (known > 0 && known === denied.length) return paint(['bold', 'green'], `Not blocking: ${plural(known, 'deny finding')} ${known === 1 ? 'was' : 'were'} already in the baseline.`)
  if (denied.length > 0) return paint(['bold', 'green'], `Not blocking: ${plural(denied.length, 'deny finding')} ${denied.length === 1 ? 'is' : 'are'} below the fail-on severity ${failOn}${known > 0 ? ` or already in the baseline` : ''}.`)
  return paint(['bold', 'green'], 'Not blocking: no finding has action deny.')
}
