import { severityRank, type Finding, type Severity } from '../core/index.js'

/**
 * True when a finding blocks the run (exit 1, admission denied): action deny, not waived,
 * at or above the fail-on severity. The same rule as the pipeline's, which report may not import.
 */
export function isBlocking(finding: Finding, failOn: Severity = 'info'): boolean {
  return finding.action === 'deny' && !finding.waiver && severityRank(finding.severity) >= severityRank(failOn)
}
