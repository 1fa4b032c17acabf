import { isBlocking, type CheckResult, type Severity } from '../core/index.js'

/** Exit code of a check by the DESIGN.md contract: 1 when any finding blocks, else 0. */
export function exitCodeFor(result: CheckResult, failOn?: Severity): 0 | 1 {
  return result.findings.some((f) => isBlocking(f, failOn)) ? 1 : 0
}
