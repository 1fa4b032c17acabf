import type { CheckResult } from '../core/index.js'
import type { FixOutcome } from '../fix/index.js'
import { formatSarif, type FixEdit } from '../report/index.js'
import { VERSION } from './version.js'

/**
 * `palisade fix --format sarif`: the findings of the scan before fixing, each result whose
 * fix is a single-file edit carrying it as SARIF `fixes`, so code scanning can offer it (not
 * one whose text had a secret masked: it cannot be both printed and applied).
 */
export function fixSarif(before: CheckResult, outcome: FixOutcome, cwd: string): string {
  const fixes = new Map<string, FixEdit>()
  for (const file of outcome.files) {
    for (const a of file.applied) {
      // A masked change is not the file's text: offered as a fix, it would write the `*`s into the file.
      if (!a.change || a.change.masked) continue
      const ops = a.finding.fix?.patch.map((op) => `${op.op} ${op.path}`).join(', ') ?? ''
      fixes.set(a.finding.fingerprint, {
        file: file.file,
        start: a.change.start,
        end: a.change.end,
        after: a.change.after,
        description: `palisade fix: ${ops}`,
      })
    }
  }
  return formatSarif(before, { color: false, toolVersion: VERSION, cwd, fixes })
}
