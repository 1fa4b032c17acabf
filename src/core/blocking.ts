import type { Finding } from './finding.js'
import { severityRank, type Severity } from './severity.js'

/**
 * True when a finding blocks (exit 1 in a scan, denied at admission): action deny,
 * not waived, not already in the baseline (`scan --baseline`: only new findings block),
 * at or above the fail-on severity.
 */
export function isBlocking(finding: Finding, failOn: Severity = 'info'): boolean {
  return finding.action === 'deny' && !finding.waiver && finding.baseline !== 'existing' && severityRank(finding.severity) >= severityRank(failOn)
}
