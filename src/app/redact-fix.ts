import type { Finding } from '../core/index.js'
import type { AppliedFix, FileFix, FixOutcome, LineChange } from '../fix/index.js'
import { secretPiecesInFile } from '../git/index.js'
import { maskText } from '../secrets/index.js'
import { masked } from './redact-result.js'

/**
 * The outcome of a fix run as its reports may print it: in each changed file's texts
 * (before, after, every hunk and every finding's own change) the secrets that the scan's
 * code frames blank out are replaced by `*` of the same length, so a diff's context lines
 * or an edited line cannot show a Secret's data, an env value or a private key. Secrets
 * are looked up in the file's text before and after the fix; a hunk whose text changed is
 * marked `masked` (it is no longer the file's bytes). Finding strings are masked as in the
 * scan's reports. What is written to the files is the unmasked outcome, never this one.
 */
export function maskedFixOutcome(outcome: FixOutcome): FixOutcome {
  return {
    ...outcome,
    files: outcome.files.map(maskedFile),
    left: outcome.left.map((l) => ({ ...l, item: masked(l.item) })),
  }
}

function maskedFile(file: FileFix<Finding>): FileFix<Finding> {
  const pieces = [
    ...new Set([...secretPiecesInFile(file.file, file.before), ...secretPiecesInFile(file.file, file.after)]),
  ].sort((a, b) => b.length - a.length)
  const hide = (text: string): string => (pieces.length === 0 ? text : maskText(text, pieces))
  const change = <C extends LineChange>(c: C): C => {
    const before = hide(c.before)
    const after = hide(c.after)
    return before === c.before && after === c.after ? c : { ...c, before, after, masked: true }
  }
  const applied = (a: AppliedFix<Finding>): AppliedFix<Finding> => ({
    ...a,
    finding: masked(a.finding),
    change: a.change && change(a.change),
  })
  return {
    ...file,
    before: hide(file.before),
    after: hide(file.after),
    applied: file.applied.map(applied),
    changes: file.changes.map((c) => ({ ...change(c), findings: c.findings.map((f) => masked(f)) })),
  }
}
