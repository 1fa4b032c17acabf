import type { ComplianceReport, ControlReport, ControlStatus } from './report.js'

const STATUS_TEXT: Record<ControlStatus, string> = {
  'not-covered': 'not covered',
  gap: 'gap (no runs)',
  'open-findings': 'open findings',
  'in-force': 'in force',
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
const waiverText = (w: ControlReport['policies'][number]['waivers'][number]): string =>
  `${w.reason} (owner ${w.owner ?? 'none'}, expires ${w.expires ?? 'never'}, ${w.findings} findings)`
const adm = (p: ControlReport['policies'][number]): string =>
  `${p.admission.denied} denied / ${p.admission.warned} warned / ${p.admission.audited} audited`

/** Markdown: summary, gaps, commits and signers, then one table row per control and policy. */
export function renderMarkdown(r: ComplianceReport): string {
  const lines = [
    `# ${r.title}: compliance report`,
    '',
    `Period ${r.period.since} to ${r.period.until}${r.period.env ? `, environment ${r.period.env}` : ''}. Policy set ${r.policyDigest}.`,
    '',
  ]
  lines.push(
    `Controls: ${r.summary.controls}; in force ${r.summary['in-force']}, open findings ${r.summary['open-findings']}, gap ${r.summary.gap}, not covered ${r.summary['not-covered']}.`,
    '',
  )
  lines.push(
    `Runs: ${r.runs.runs} in ${r.runs.repos.length} repositories. Commits: ${r.runs.commits.total} (${r.runs.commits.signed} signed, ${r.runs.commits.verified} verified).`,
    '',
  )
  if (r.gaps.length > 0)
    lines.push(
      '## Gaps (days without a recorded run)',
      '',
      ...r.gaps.map((g) => `- ${g.from} to ${g.to} (${g.days} days)`),
      '',
    )
  if (r.runs.signers.length > 0)
    lines.push('## Signers', '', ...r.runs.signers.map((s) => `- ${md(s.signer)}: ${s.commits}`), '')
  lines.push(
    '## Controls',
    '',
    '| Control | Title | Status | Policy | Runs | Opened | Fixed | Open | Admission | Waivers |',
    '|---|---|---|---|---|---|---|---|---|---|',
  )
  for (const c of r.controls) {
    if (c.policies.length === 0) lines.push(`| ${md(c.id)} | ${md(c.title)} | ${STATUS_TEXT[c.status]} | | | | | | | |`)
    for (const p of c.policies)
      lines.push(
        `| ${md(c.id)} | ${md(c.title)} | ${STATUS_TEXT[c.status]} | ${p.id} | ${p.runs} | ${p.opened} | ${p.fixed} | ${p.openNow} | ${adm(p)} | ${md(p.waivers.map(waiverText).join('; '))} |`,
      )
  }
  return `${lines.join('\n')}\n`
}

const CSS = `body{font:13px/1.4 system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}th{background:#eee}
.s-not-covered{background:#eee}.s-gap{background:#fde8c8}.s-open-findings{background:#f9d0d0}.s-in-force{background:#d6f0d6}
tr{break-inside:avoid}thead{display:table-header-group}@page{size:A4 landscape;margin:12mm}@media print{body{margin:0}}`

/** One self-contained HTML file (inline CSS, no script, no external resource) that prints well. */
export function renderHtml(r: ComplianceReport): string {
  const rows = r.controls.map((c) => {
    const span = Math.max(1, c.policies.length)
    const head = `<td rowspan="${span}" data-control="${esc(c.id)}">${esc(c.id)}</td><td rowspan="${span}">${esc(c.title)}</td><td rowspan="${span}" class="s-${c.status}">${STATUS_TEXT[c.status]}</td>`
    if (c.policies.length === 0)
      return `<tr>${head}<td colspan="7">no built-in policy implements this control</td></tr>`
    return c.policies
      .map(
        (p, i) =>
          `<tr>${i === 0 ? head : ''}<td>${esc(p.id)}</td><td>${p.runs}</td><td>${p.opened}</td><td>${p.fixed}</td><td>${p.openNow}</td><td>${adm(p)}</td><td>${esc(p.waivers.map(waiverText).join('; '))}</td></tr>`,
      )
      .join('\n')
  })
  const gaps =
    r.gaps.length === 0
      ? '<p>Every day of the period has a recorded run.</p>'
      : `<ul>${r.gaps.map((g) => `<li>${g.from} to ${g.to} (${g.days} days)</li>`).join('')}</ul>`
  const signers = r.runs.signers.map((s) => `<li>${esc(s.signer)}: ${s.commits}</li>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}: compliance report</title><style>${CSS}</style></head><body>
<h1>${esc(r.title)}: compliance report</h1>
<p>Period ${esc(r.period.since)} to ${esc(r.period.until)}${r.period.env ? `, environment ${esc(r.period.env)}` : ''}. Generated ${esc(r.generatedAt)}. Policy set <code>${esc(r.policyDigest)}</code>.</p>
<p>Controls: ${r.summary.controls}; in force ${r.summary['in-force']}, open findings ${r.summary['open-findings']}, gap ${r.summary.gap}, not covered ${r.summary['not-covered']}.
Runs: ${r.runs.runs} in ${r.runs.repos.length} repositories. Commits: ${r.runs.commits.total} (${r.runs.commits.signed} signed, ${r.runs.commits.verified} verified).</p>
<h2>Gaps (days without a recorded run)</h2>${gaps}
<h2>Signers</h2><ul>${signers}</ul>
<h2>Controls</h2><table><thead><tr><th>Control</th><th>Title</th><th>Status</th><th>Policy</th><th>Runs</th><th>Opened</th><th>Fixed</th><th>Open</th><th>Admission</th><th>Waivers</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>
`
}

/** The report in the format asked for. */
export function renderReport(r: ComplianceReport, format: 'json' | 'markdown' | 'html'): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`
  return format === 'markdown' ? renderMarkdown(r) : renderHtml(r)
}
