import type { Diagnostic } from './errors.js'
import type { Finding } from './finding.js'
import { severityRank, type Severity } from './severity.js'

/**
 * What an error does to a run (palisade.yaml `errors:`): `block` (the default) makes a file
 * that could not be read, parsed or rendered, and a policy that could not be evaluated, block
 * like a deny finding; `report` only lists them.
 */
export type ErrorsMode = 'block' | 'report'

/** What decides whether a run blocks: `--fail-on` and palisade.yaml `errors:`. */
export interface BlockingRule {
  failOn?: Severity | undefined
  errors?: ErrorsMode | undefined
}

/** Whether a run blocks, and what blocks it. Every report and the exit code read this one verdict. */
export interface Verdict {
  blocking: boolean
  /** Findings with action deny (status fail), not waived, new, at or above fail-on. */
  findings: number
  /** Errors that block: error diagnostics and findings with status error (unless `errors: report`), and objects that fail --validate-schema. */
  errors: number
}

/**
 * True when a finding blocks (exit 1 in a scan, denied at admission): action deny,
 * not waived, not already in the baseline (`scan --baseline`: only new findings block),
 * at or above the fail-on severity.
 */
export function isBlocking(finding: Finding, failOn: Severity = 'info'): boolean {
  return (
    finding.action === 'deny' &&
    !finding.waiver &&
    finding.baseline !== 'existing' &&
    severityRank(finding.severity) >= severityRank(failOn)
  )
}

/** True for diagnostics that count as errors (everything but warnings). */
export function isErrorDiagnostic(diagnostic: Diagnostic): boolean {
  return diagnostic.severity !== 'warning'
}

/**
 * The verdict of a run, from its findings and diagnostics. A policy that could not be
 * evaluated (status error) is an error, never a silent pass: it blocks, whatever its action or
 * severity, unless waived, already in the baseline, or palisade.yaml says `errors: report`.
 * An object that fails --validate-schema blocks in either mode (the user asked for that check).
 */
export function verdictOf(
  findings: readonly Finding[],
  diagnostics: readonly Diagnostic[],
  rule: BlockingRule = {},
): Verdict {
  const blockErrors = (rule.errors ?? 'block') === 'block'
  let blockingFindings = 0
  let errors = 0
  for (const f of findings) {
    if (f.status === 'error') {
      // With `errors: report`, an error finding still blocks as its action says (as a fail would).
      if (blockErrors ? !f.waiver && f.baseline !== 'existing' : isBlocking(f, rule.failOn)) errors++
    } else if (isBlocking(f, rule.failOn)) blockingFindings++
  }
  for (const d of diagnostics) {
    if (isErrorDiagnostic(d) && (blockErrors || d.code === 'SCHEMA_INVALID')) errors++
  }
  return { blocking: blockingFindings + errors > 0, findings: blockingFindings, errors }
}
