import type { Finding } from '../core/index.js'
import type { FileFix } from './plan.js'
import type { Left, LeftReason } from './select.js'

/** What a `palisade fix` run did: the files it changed (or would, with --dry-run), what it left and why. */
export interface FixOutcome {
  /** Files whose edits were proven by the re-scan (written unless dry-run). */
  files: FileFix<Finding>[]
  /** Findings not fixed, with why (fixes rolled back included). */
  left: Left<Finding>[]
  /** Files whose edits were undone, with the re-scan's reasons. */
  rolledBack: { file: string; reasons: string[] }[]
  /** Findings of the scan before fixing. */
  findings: number
  dryRun: boolean
}

/** Findings fixed by the outcome's files. */
export function fixedFindings(outcome: Pick<FixOutcome, 'files'>): Finding[] {
  return outcome.files.flatMap((f) => f.applied.map((a) => a.finding))
}

/** Left findings counted by reason, in a fixed order (for summaries and figures). */
export function reasonCounts(left: readonly Left<unknown>[]): Partial<Record<LeftReason, number>> {
  const counts: Partial<Record<LeftReason, number>> = {}
  for (const reason of REASON_ORDER) {
    const n = left.filter((l) => l.reason === reason).length
    if (n > 0) counts[reason] = n
  }
  return counts
}

export const REASON_ORDER: readonly LeftReason[] = [
  'no-fix',
  'unsafe',
  'invalid',
  'incoherent',
  'source',
  'rolled-back',
  'waived',
]

/** How each reason reads in text output. */
export const REASON_TEXT: Record<LeftReason, string> = {
  'no-fix': 'no fix offered',
  unsafe: 'unsafe fix: run with --unsafe to apply',
  invalid: 'the API server would reject the result',
  incoherent: 'part of the restricted set, which could not be applied as a whole',
  source: 'the source cannot be edited safely',
  'rolled-back': 'edited, then rolled back: the re-scan did not prove it',
  waived: 'waived',
}
