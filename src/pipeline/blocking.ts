import { verdictOf, type BlockingRule, type CheckResult } from '../core/index.js'

/**
 * Exit code of a check by the DESIGN.md contract: 1 when the run blocks (a blocking finding,
 * or an error while `errors: block`), else 0. The same verdict every report prints.
 */
export function exitCodeFor(result: CheckResult, rule: BlockingRule = {}): 0 | 1 {
  return verdictOf(result.findings, result.diagnostics, rule).blocking ? 1 : 0
}
