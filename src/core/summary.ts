import { isErrorDiagnostic } from './blocking.js'
import type { Diagnostic } from './errors.js'
import type { Finding, Summary } from './finding.js'
import type { Status } from './severity.js'

/** What a run counted that its findings cannot tell: files, resources, policies and evaluations by status. */
export interface RunCounts {
  files: number
  resources: number
  policies: number
  checks: Record<Status, number>
}

/** Counts of a run that has not counted anything yet. */
export function noCounts(): RunCounts {
  return { files: 0, resources: 0, policies: 0, checks: { pass: 0, fail: 0, error: 0, skip: 0 } }
}

/** The run counts of a summary (to build the summary of a result made from another). */
export function countsOf(summary: Summary): RunCounts {
  return {
    files: summary.files,
    resources: summary.resources,
    policies: summary.policies,
    checks: { ...summary.checks },
  }
}

/**
 * The one place a summary is made: the run's counts plus what its findings (waived ones
 * apart) and error diagnostics say. Every producer of a CheckResult calls this with the
 * final findings and diagnostics, so no summary is ever patched by hand.
 */
export function summarize(
  counts: RunCounts,
  findings: readonly Finding[],
  diagnostics: readonly Diagnostic[],
): Summary {
  const summary: Summary = {
    files: counts.files,
    resources: counts.resources,
    policies: counts.policies,
    checks: { ...counts.checks },
    findings: 0,
    bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
    byAction: { audit: 0, warn: 0, deny: 0 },
    waived: 0,
    errors: 0,
  }
  for (const f of findings) {
    summary.findings++
    if (f.waiver) {
      summary.waived++
      continue
    }
    summary.bySeverity[f.severity]++
    summary.byAction[f.action]++
  }
  for (const d of diagnostics) if (isErrorDiagnostic(d)) summary.errors++
  return summary
}
