import { severityRank, type CheckResult, type Finding, type Severity } from '../core/index.js'

/** True when the finding blocks: action deny, not waived, not in the baseline, and at or above the fail-on severity. */
export function isBlocking(finding: Finding, failOn: Severity = 'info'): boolean {
  return finding.action === 'deny' && !finding.waiver && finding.baseline !== 'existing' && severityRank(finding.severity) >= severityRank(failOn)
}

/** Exit code of a check by the DESIGN.md contract: 1 when any finding blocks, else 0. */
export function exitCodeFor(result: CheckResult, failOn?: Severity): 0 | 1 {
  return result.findings.some((f) => isBlocking(f, failOn)) ? 1 : 0
}
