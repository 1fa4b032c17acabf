import { isErrorDiagnostic, type Diagnostic, type Finding, type Summary } from '../core/index.js'

/** A summary with every counter at zero. */
export function emptySummary(files: number, resources: number, policies: number): Summary {
  return {
    files,
    resources,
    policies,
    checks: { pass: 0, fail: 0, error: 0, skip: 0 },
    findings: 0,
    bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
    byAction: { audit: 0, warn: 0, deny: 0 },
    waived: 0,
    errors: 0,
  }
}

/**
 * Count findings (waived ones separately) and error diagnostics into the summary, from
 * scratch: the counts always say what the findings and diagnostics are, so a caller that
 * adds findings or diagnostics (a baseline, a policy folder) recounts instead of patching.
 */
export function tally(summary: Summary, findings: readonly Finding[], diagnostics: readonly Diagnostic[]): void {
  const zero = emptySummary(0, 0, 0)
  summary.findings = 0
  summary.bySeverity = zero.bySeverity
  summary.byAction = zero.byAction
  summary.waived = 0
  for (const f of findings) {
    summary.findings++
    if (f.waiver) {
      summary.waived++
      continue
    }
    summary.bySeverity[f.severity]++
    summary.byAction[f.action]++
  }
  summary.errors = diagnostics.filter(isErrorDiagnostic).length
}
