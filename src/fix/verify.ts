import type { Diagnostic, Finding } from '../core/index.js'

/** A scan's outcome, as the proof compares it. */
export interface ScanState {
  findings: readonly Finding[]
  diagnostics: readonly Diagnostic[]
  /** Renders (charts, overlays, applications) that succeeded. */
  renders?: number
}

/**
 * Why the edits of each file are not proven, by file (empty: all proven). The scan after
 * the edits must show every fixed finding gone, no finding that was not there before, no
 * new error in an edited file, and as many successful renders as before. A new finding
 * or a lost render that no edited file can be blamed for counts against every edited file.
 * Findings are compared by fingerprint (with multiplicity), so moved lines do not matter. Pure.
 */
export function proofProblems(
  before: ScanState,
  after: ScanState,
  fixed: readonly Finding[],
  edited: ReadonlySet<string>,
): Map<string, string[]> {
  const problems = new Map<string, string[]>()
  const blame = (file: string | undefined, why: string): void => {
    for (const f of file !== undefined && edited.has(file) ? [file] : edited) {
      const list = problems.get(f)
      if (list) list.push(why)
      else problems.set(f, [why])
    }
  }
  const count = (list: readonly Finding[]): Map<string, number> => {
    const m = new Map<string, number>()
    for (const f of list) m.set(f.fingerprint, (m.get(f.fingerprint) ?? 0) + 1)
    return m
  }
  const was = count(before.findings)
  const now = count(after.findings)
  const gone = count(fixed)
  for (const f of fixed) {
    const expected = (was.get(f.fingerprint) ?? 0) - (gone.get(f.fingerprint) ?? 0)
    if ((now.get(f.fingerprint) ?? 0) > expected)
      blame(f.span?.file, `[${f.policyId}] ${f.path} is still reported after its fix`)
  }
  const reported = new Set<string>()
  for (const f of after.findings) {
    if ((now.get(f.fingerprint) ?? 0) <= (was.get(f.fingerprint) ?? 0) || reported.has(f.fingerprint)) continue
    reported.add(f.fingerprint)
    blame(f.span?.file, `the fix brings a new finding [${f.policyId}] ${f.path}: ${f.message}`)
  }
  const known = new Set(before.diagnostics.map(diagnosticKey))
  for (const d of after.diagnostics) {
    if (d.severity === 'warning' || known.has(diagnosticKey(d))) continue
    // A failed render names the template it could not read, which may be an edited one.
    const named = [...edited].find((f) => d.message.includes(f))
    blame(named ?? d.span?.file, `the edited source has a new error: ${d.message}`)
  }
  if ((after.renders ?? 0) < (before.renders ?? 0)) {
    // Lost renders go to the files whose new errors explain them, when there are such files.
    const why = `${(before.renders ?? 0) - (after.renders ?? 0)} render(s) that succeeded before the edit fail after it`
    const explained = [...problems.keys()]
    if (explained.length > 0) for (const f of explained) problems.get(f)?.push(why)
    else blame(undefined, why)
  }
  return problems
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.code}\u0000${d.span?.file ?? ''}\u0000${d.message}`
}
