import type { Finding } from '../core/index.js'
import { fixedFindings, reasonCounts, REASON_TEXT, type FixOutcome } from './outcome.js'
import { unifiedDiff } from './unified-diff.js'

const byFile = <T extends { file: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
const order = (f: Finding): string =>
  `${f.span?.file ?? ''}\u0000${String(f.span?.start.line ?? 0).padStart(9, '0')}\u0000${f.policyId}\u0000${f.path}`
/** Left findings in file, line and policy order, whatever order the renders finished in. */
const sortedLeft = (outcome: FixOutcome) =>
  [...outcome.left].sort((a, b) => (order(a.item) < order(b.item) ? -1 : order(a.item) > order(b.item) ? 1 : 0))

const where = (f: Finding): string =>
  f.span ? `${f.span.file}:${f.span.start.line}` : `${f.resource.kind}/${f.resource.name}`

/**
 * Text: one line per changed file (with the policies fixed), the findings left by reason,
 * rolled-back files, a summary line. `clean` makes each line safe for a terminal (file names
 * are the repository's: control characters, escape sequences, newlines); the CLI passes
 * report's `printable`.
 */
export function formatFixText(outcome: FixOutcome, clean: (line: string) => string = (line) => line): string {
  const out: string[] = []
  const verb = outcome.dryRun ? 'would fix' : 'fixed'
  for (const file of byFile(outcome.files)) {
    const policies = [...new Set(file.applied.map((a) => a.finding.policyId))].sort()
    out.push(
      `${file.file}: ${verb} ${file.applied.length} finding${file.applied.length === 1 ? '' : 's'} (${policies.join(', ')})`,
    )
  }
  for (const r of byFile(outcome.rolledBack))
    out.push(
      `${r.file}: rolled back: ${r.reasons[0] ?? ''}${r.reasons.length > 1 ? ` (and ${r.reasons.length - 1} more)` : ''}`,
    )
  const fixable = sortedLeft(outcome).filter((l) => l.reason !== 'no-fix' && l.reason !== 'waived')
  for (const l of fixable)
    out.push(
      `${where(l.item)}  [${l.item.policyId}] not fixed: ${REASON_TEXT[l.reason]}${l.detail ? ` (${l.detail})` : ''}`,
    )
  out.push(summaryLine(outcome))
  return out.map(clean).join('\n') + '\n'
}

/** The unified diff of every changed file, as `git diff` prints it. */
export function formatFixDiff(outcome: FixOutcome): string {
  return byFile(outcome.files)
    .map((f) => unifiedDiff(f.file, f.before, f.after))
    .join('')
}

/**
 * JSON: every edit (file, line range, before, after, the policies and finding fingerprints it fixes; `masked: true`
 * when secrets in before/after were replaced by `*` for printing), the findings left with reasons, a summary.
 */
export function formatFixJson(outcome: FixOutcome): string {
  const edits = byFile(outcome.files).flatMap((file) =>
    file.changes.map((c) => ({
      file: file.file,
      range: { startLine: c.start, endLine: c.end },
      before: c.before,
      after: c.after,
      ...(c.masked ? { masked: true } : {}),
      policies: [...new Set(c.findings.map((f) => f.policyId))],
      fingerprints: c.findings.map((f) => f.fingerprint),
    })),
  )
  const finding = (f: Finding) => ({
    policy: f.policyId,
    fingerprint: f.fingerprint,
    path: f.path,
    ...(f.span ? { file: f.span.file, line: f.span.start.line } : {}),
  })
  const body = {
    dryRun: outcome.dryRun,
    summary: summaryOf(outcome),
    edits,
    fixed: fixedFindings(outcome).map(finding),
    left: sortedLeft(outcome).map((l) => ({
      ...finding(l.item),
      reason: l.reason,
      ...(l.detail ? { detail: l.detail } : {}),
    })),
    rolledBack: byFile(outcome.rolledBack),
  }
  return JSON.stringify(body, null, 2) + '\n'
}

/** Markdown for a pull-request comment: per fixed finding, its message and the diff its fix alone makes. */
export function formatFixMarkdown(outcome: FixOutcome): string {
  const out = [`### Palisade fix`, '', summaryLine(outcome), '']
  for (const file of byFile(outcome.files)) {
    for (const a of file.applied) {
      out.push(`**${a.finding.policyId}** in \`${where(a.finding)}\`: ${a.finding.message}`, '')
      if (a.change) {
        const before = a.change.before.split(/\r?\n/)
        const after = a.change.after.split(/\r?\n/)
        if (before[before.length - 1] === '') before.pop()
        if (after[after.length - 1] === '') after.pop()
        out.push(
          '```diff',
          `@@ line ${a.change.start} @@`,
          ...before.map((l) => `-${l}`),
          ...after.map((l) => `+${l}`),
          '```',
          '',
        )
      } else out.push('_(applied together with another fix of the same object; see the file diff)_', '')
    }
  }
  return out.join('\n')
}

function summaryOf(outcome: FixOutcome) {
  return {
    findings: outcome.findings,
    fixed: fixedFindings(outcome).length,
    left: outcome.left.length,
    files: outcome.files.length,
    rolledBack: outcome.rolledBack.length,
    reasons: reasonCounts(outcome.left),
  }
}

function summaryLine(outcome: FixOutcome): string {
  const s = summaryOf(outcome)
  const reasons = Object.entries(s.reasons)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ')
  return `${s.findings} finding${s.findings === 1 ? '' : 's'}: ${s.fixed} ${outcome.dryRun ? 'fixable' : 'fixed'} in ${s.files} file${s.files === 1 ? '' : 's'}, ${s.left} left${reasons ? ` (${reasons})` : ''}`
}
