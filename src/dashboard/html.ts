/** Escape text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )
}

/** JSON inside a `<script type="application/json">`: no `<` can close the element. */
export function jsonScript(id: string, data: unknown): string {
  return `<script type="application/json" id="${esc(id)}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`
}

/** The pages, in the order the navigation shows them. */
export const PAGES = [
  ['/', 'Overview'],
  ['/findings', 'Findings'],
  ['/rollout', 'Rollout'],
  ['/admission', 'Admission'],
  ['/commits', 'Commits'],
  ['/waivers', 'Waivers'],
] as const

/** One page: navigation, title, body. Scripts and styles come from /assets only (the CSP allows nothing else). */
export function layout(
  path: string,
  title: string,
  body: string,
  options: { charts?: boolean; subtitle?: string } = {},
): string {
  const nav = PAGES.map(
    ([href, name]) => `<a href="${href}"${href === path ? ' aria-current="page"' : ''}>${name}</a>`,
  ).join('')
  const charts = options.charts
    ? '<link rel="stylesheet" href="/assets/uPlot.min.css"><script src="/assets/uPlot.iife.min.js" defer></script><script src="/assets/dashboard.js" defer></script>'
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Palisade</title><link rel="stylesheet" href="/assets/dashboard.css">${charts}</head>
<body><header><strong>Palisade</strong><nav>${nav}</nav></header>
<main><h1>${esc(title)}</h1>${options.subtitle ? `<p class="sub">${esc(options.subtitle)}</p>` : ''}${body}</main></body></html>`
}

/** A tile: a big number with a label; `id` makes it findable by tests and scripts. */
export function tile(id: string, label: string, value: string | number, note = ''): string {
  return `<div class="tile"><div class="value" data-tile="${esc(id)}">${esc(value)}</div><div class="label">${esc(label)}</div>${note ? `<div class="note">${esc(note)}</div>` : ''}</div>`
}

/** A table from rows of cells (already escaped HTML). */
export function table(
  id: string,
  head: readonly string[],
  rows: readonly (readonly string[])[],
  empty: string,
): string {
  if (rows.length === 0) return `<p class="empty" data-table="${esc(id)}">${esc(empty)}</p>`
  return `<table data-table="${esc(id)}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

export const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{display:flex;gap:24px;align-items:center;padding:10px 20px;background:#1b2a41;color:#fff}
header nav a{color:#cfd8e3;margin-right:14px;text-decoration:none}header nav a[aria-current]{color:#fff;border-bottom:2px solid #7fb3ff}
main{padding:16px 20px;max-width:1200px}h1{font-size:20px;margin:4px 0 12px}.sub{color:#5b6472;margin-top:-8px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin-bottom:16px}
.tile{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:10px 12px}.tile .value{font-size:24px;font-weight:600}.tile .label{color:#5b6472}.tile .note{color:#8a93a0;font-size:12px}
table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:16px}th,td{border-bottom:1px solid #e5e8ec;padding:5px 8px;text-align:left;vertical-align:top}th{background:#eef1f5}
.chart{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:8px;margin-bottom:16px}
.filters{margin-bottom:12px}.filters a{display:inline-block;margin:2px 4px 2px 0;padding:2px 8px;border:1px solid #c5ccd6;border-radius:12px;text-decoration:none;color:#1b2a41;background:#fff}
.filters a.on{background:#1b2a41;color:#fff}.filters span{color:#5b6472;margin-right:6px}
.sev-critical{color:#a4001d;font-weight:600}.sev-high{color:#c0392b}.sev-medium{color:#b7791f}.state-ready{color:#1e7e34;font-weight:600}.state-enforced{color:#1b2a41}
.empty{color:#8a93a0}
`

/** The browser side: draws the charts whose data the page embeds (uPlot, served from the package). */
export const CLIENT_JS = `
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute('data-chart')).textContent);
    var xs = spec.x.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
    var colours = ['#c0392b', '#1e7e34', '#b7791f', '#1b6fd1'];
    var series = [{}].concat(spec.series.map(function (s, i) { return { label: s.label, stroke: colours[i % 4], width: 2, points: { show: true } }; }));
    var data = [xs].concat(spec.series.map(function (s) { return s.values; }));
    new uPlot({ width: Math.min(el.clientWidth || 900, 1100), height: 220, series: series, axes: [{}, { label: spec.unit || '' }] }, data, el);
    el.setAttribute('data-drawn', 'true');
  });
});
`
