import {
  SEVERITIES,
  formatResourceRef,
  isErrorDiagnostic,
  verdictOf,
  type CheckResult,
  type Finding,
  type Severity,
} from '../core/index.js'
import { sortFindings } from './ordering.js'
import { printable } from './printable.js'
import type { FormatOptions } from './types.js'

/** Most rows one table shows; GitHub comments stop at 65,536 characters. */
const MAX_ROWS = 100
const ORDER: readonly Severity[] = [...SEVERITIES].reverse()

/**
 * A pull-request summary in GitHub-flavoured Markdown: whether the change blocks, counts
 * of new, fixed and existing findings by severity (`scan --baseline`; a scan without a
 * baseline counts every finding as new), the new findings with links to their lines,
 * the changes that need their owners' review, and the fixed ones. Links point into the
 * repository at the scanned commit when `options.links` has a blob URL, else they are
 * relative. Every text from the input is escaped, so a manifest cannot inject Markdown,
 * HTML or terminal control characters.
 */
export function formatMarkdown(result: CheckResult, options: FormatOptions): string {
  const isNew = (f: Finding): boolean => f.baseline !== 'existing'
  const current = result.findings.filter((f) => !f.waiver)
  const fresh = sortFindings(current.filter(isNew))
  const existing = current.filter((f) => !isNew(f))
  const fixed = sortFindings(result.fixed ?? [])
  const verdict = verdictOf(result.findings, result.diagnostics, options)
  const review = fresh.filter((f) => f.owners !== undefined)
  const withBaseline = result.fixed !== undefined

  const out: string[] = []
  const blockers = [
    verdict.findings > 0 ? count(verdict.findings, 'blocking finding') : '',
    verdict.errors > 0 ? count(verdict.errors, 'blocking error') : '',
  ].filter((s) => s !== '')
  out.push(`## Palisade: ${verdict.blocking ? `:x: ${blockers.join(', ')}` : ':white_check_mark: nothing blocks'}`, '')
  out.push(
    withBaseline
      ? `${count(fresh.length, 'new finding')}, ${count(fixed.length, 'fixed finding')}, ${count(existing.length, 'existing finding')}.`
      : `${count(fresh.length, 'finding')}.`,
    '',
  )
  if (withBaseline && options.baseline) out.push(baselineLine(options.baseline), '')

  out.push(`| | ${ORDER.join(' | ')} | total |`, `|---|${ORDER.map(() => '---:').join('|')}|---:|`)
  const row = (label: string, list: readonly Finding[]): string =>
    `| ${label} | ${ORDER.map((s) => list.filter((f) => f.severity === s).length).join(' | ')} | ${list.length} |`
  out.push(row(withBaseline ? 'New' : 'Findings', fresh))
  if (withBaseline) out.push(row('Fixed', fixed), row('Existing', existing))
  out.push('')

  // Most severe first; every critical finding is listed, whatever the row limit.
  const ordinary = bySeverity(fresh.filter((f) => f.owners === undefined))
  if (ordinary.length > 0) {
    out.push(
      withBaseline ? '### New findings' : '### Findings',
      '',
      '| Severity | Action | Policy | Finding | Environment | Where |',
      '|---|---|---|---|---|---|',
    )
    const shown = Math.max(MAX_ROWS, ordinary.filter((f) => f.severity === 'critical').length)
    for (const f of ordinary.slice(0, shown))
      out.push(
        `| ${f.severity} | ${f.action} | \`${code(f.policyId)}\` | ${cell(f.message)}${renders(f)} | ${cell(f.environment ?? '')} | ${where(f, options)} |`,
      )
    if (ordinary.length > shown)
      out.push('', `…and ${ordinary.length - shown} more, of lower severity: ${fullReport(options)}.`)
    out.push('')
  }
  if (review.length > 0) {
    out.push('### Changes that need review', '', '| Severity | Change | Owners | Where |', '|---|---|---|---|')
    for (const f of review.slice(0, MAX_ROWS))
      out.push(
        `| ${f.severity} | ${cell(f.message.replace(/; (needs review by|no owner is configured).*$/, ''))} | ${cell(f.owners?.join(', ') || 'none configured')} | ${where(f, options)} |`,
      )
    if (review.length > MAX_ROWS) out.push('', `…and ${review.length - MAX_ROWS} more.`)
    out.push('')
  }
  if (fixed.length > 0) {
    out.push(
      `<details><summary>Fixed (${fixed.length})</summary>`,
      '',
      '| Severity | Policy | Finding | Resource |',
      '|---|---|---|---|',
    )
    for (const f of fixed.slice(0, MAX_ROWS))
      out.push(
        `| ${f.severity} | \`${code(f.policyId)}\` | ${cell(f.message)} | ${cell(formatResourceRef(f.resource))} |`,
      )
    out.push('', '</details>', '')
  }
  const errors =
    result.diagnostics.filter(isErrorDiagnostic).length +
    result.findings.filter((f) => f.status === 'error' && !f.waiver).length
  if (errors > 0) {
    const effect =
      verdict.errors > 0
        ? `${verdict.errors} of them ${verdict.errors === 1 ? 'blocks' : 'block'}`
        : 'reported only (palisade.yaml errors: report)'
    out.push(
      `:warning: ${count(errors, 'error')} (input that could not be read, parsed, rendered or evaluated): ${effect}; see the full report.`,
      '',
    )
  }
  const notScanned = options.notScanned ?? []
  if (notScanned.length > 0) {
    out.push(
      `### Not scanned (${notScanned.length})`,
      '',
      'Found but not checked, so their findings are not above:',
      '',
    )
    for (const s of notScanned)
      out.push(
        `- ${s.status === 'failed' ? 'render failed' : 'not scanned'}: ${cell(s.name)}${s.file === undefined ? '' : ` (${cell(s.file)})`}: ${cell(s.reason)}`,
      )
    out.push('')
  }
  out.push(`Full report: ${fullReport(options)}.`, '')
  out.push(`<sub>Palisade ${cell(options.toolVersion)}</sub>`)
  return `${out.join('\n')}\n`
}

/** Which commit "new" and "fixed" are relative to: REF as given and the commit, short. */
function baselineLine(b: NonNullable<FormatOptions['baseline']>): string {
  const moved = b.commit === b.refCommit ? '' : ` (${cell(b.ref)} is at \`${code(b.refCommit.slice(0, 12))}\`)`
  return `Compared with the baseline ${cell(b.ref)} at \`${code(b.commit.slice(0, 12))}\`${moved}: ${cell(b.reason)}.`
}

/** A finding in several renders (a base in several overlays) names them after its message. */
function renders(f: Finding): string {
  if (!f.renders || f.renders.length < 2) return ''
  const list = f.renders.map(
    (r) =>
      `${r.application} (${[r.environment, r.action, r.waived ? 'waived' : undefined].filter((x) => x !== undefined).join(', ')})`,
  )
  return `<br>${cell(`in ${f.renders.length} renders: ${list.join('; ')}`)}`
}

/** Findings by severity, most severe first; report order within a severity. */
function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity))
}

function fullReport(options: FormatOptions): string {
  if (options.fullReport !== undefined)
    return /^https:\/\//.test(options.fullReport)
      ? `<${options.fullReport.replace(/[<>\s]/g, encodeURIComponent)}>`
      : cell(options.fullReport)
  return 'run `palisade scan` on the same paths with `--format text --verbose` or `--format json`'
}

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Text safe inside a table cell: no pipes, line breaks, HTML or Markdown syntax from the input. */
function cell(text: string): string {
  return printable(text.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]()#|!~])/g, '\\$1')
}

const code = (text: string): string => text.replace(/[`|\r\n]/g, '')

function where(f: Finding, options: FormatOptions): string {
  if (!f.span) return cell(formatResourceRef(f.resource))
  const { file } = f.span
  const line = f.span.start.line
  const label = cell(`${file}:${line}`)
  const relative = file
    .split('\\')
    .join('/')
    .replace(/^(\.\/)+/, '')
  if (relative.startsWith('/') || relative.startsWith('<')) return label
  const path = relative.split('/').map(encodeURIComponent).join('/')
  const href = options.links
    ? `${options.links.blobBase}${options.links.pathPrefix}${path}#L${line}`
    : `${path}#L${line}`
  return `[${label}](${href})`
}
