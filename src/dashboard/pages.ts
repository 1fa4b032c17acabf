import { isSeverity, SEVERITIES } from '../core/index.js'
import {
  activeWaivers,
  admissionStats,
  computeStats,
  findingFacets,
  openFindings,
  recentCommits,
  recentDenials,
  rolloutStats,
  signedStats,
  signers,
  waiverStats,
  type FindingFilter,
  type OpenFindingRow,
  type SqlQueryable,
  type Stats,
  type StatsOptions,
} from '../store/index.js'
import { esc, jsonScript, layout, table, tile } from './html.js'

/** What every page is computed with. */
export interface PageContext {
  db: SqlQueryable
  now: Date
  since: Date
  readyAfterDays: number
}

const hours = (h: number | null | undefined): string =>
  h === null || h === undefined ? '–' : h >= 48 ? `${(h / 24).toFixed(1)} d` : `${h.toFixed(1)} h`
const pct = (share: number | null): string => (share === null ? '–' : `${(share * 100).toFixed(1)}%`)
const options = (c: PageContext): StatsOptions => ({
  since: c.since,
  now: c.now,
  readyAfterDays: c.readyAfterDays,
  expiringWithinDays: 14,
})
const stats = (c: PageContext): Promise<Stats> => computeStats(c.db, options(c))
const sinceLine = (c: PageContext): string => `Since ${c.since.toISOString().slice(0, 10)}`

export async function overviewPage(c: PageContext): Promise<string> {
  const s = await stats(c)
  const all = s.timeToFix.find((t) => t.severity === 'all')
  const fixed = s.weekly.reduce((n, w) => n + w.fixed, 0)
  const tiles = [
    tile('open', 'open findings', s.open.total),
    ...SEVERITIES.slice()
      .reverse()
      .map((sev) => tile(`open-${sev}`, `open ${sev}`, s.open.bySeverity[sev] ?? 0)),
    tile('fixed', 'fixed in period', fixed),
    tile('mttf', 'mean time to fix', hours(all?.meanHours), `p90 ${hours(all?.p90Hours)}`),
    tile('signed', 'signed commits', pct(s.signed.share), `${s.signed.signed} of ${s.signed.commits}`),
    tile(
      'denied',
      'admission denials',
      s.admission.reduce((n, a) => n + a.denied, 0),
    ),
    tile(
      'waivers-expiring',
      'waivers expiring in 14 days',
      s.waivers.expiringSoon.length,
      `${s.waivers.active} active`,
    ),
    tile('ready', 'ready to enforce', s.rollout.filter((r) => r.state === 'ready').length),
    tile('runs', 'runs recorded', s.runs, `${s.repositories} repositories`),
  ]
  const weekly = {
    x: s.weekly.map((w) => w.week),
    unit: 'findings',
    series: [
      { label: 'new', values: s.weekly.map((w) => w.opened) },
      { label: 'fixed', values: s.weekly.map((w) => w.fixed) },
    ],
  }
  const envs = Object.entries(s.open.byEnvironment).map(([env, n]) => [
    `<a href="/findings?environment=${encodeURIComponent(env)}">${esc(env)}</a>`,
    `<span data-env-open="${esc(env)}">${n}</span>`,
  ])
  const delivery = s.delivery.map((d) => [
    esc(d.environment),
    String(d.deployments),
    String(d.perWeek),
    hours(d.leadTimeHours),
    pct(d.changeFailureRate),
    hours(d.timeToRestoreHours),
  ])
  const body = `<div class="tiles">${tiles.join('')}</div>
<h2>New and fixed per week</h2><div class="chart" data-chart="weekly-data"></div>${jsonScript('weekly-data', weekly)}
<h2>Open findings by environment</h2>${table('open-by-env', ['environment', 'open'], envs, 'No open findings.')}
<h2>Delivery</h2>${table('delivery', ['environment', 'deployments', 'per week', 'lead time', 'change failure rate', 'time to restore'], delivery, 'No deployments recorded (palisade history import, with environment paths in palisade.yaml).')}`
  return layout('/', 'Overview', body, {
    charts: true,
    subtitle: `${sinceLine(c)}: ${s.runs} runs of ${s.repositories} repositories`,
  })
}

/** Findings page filters from the query string; unknown values are ignored, not trusted. */
export function findingFilter(query: URLSearchParams): FindingFilter {
  const pick = (k: string): string | undefined => {
    const v = query.get(k)
    return v === null || v === '' || v.length > 300 ? undefined : v
  }
  const severity = pick('severity')
  const filter: FindingFilter = { limit: 500 }
  for (const k of ['environment', 'policy', 'repo'] as const) {
    const v = pick(k)
    if (v !== undefined) filter[k] = v
  }
  if (severity !== undefined && isSeverity(severity)) filter.severity = severity
  return filter
}

export async function findingsPage(c: PageContext, query: URLSearchParams): Promise<string> {
  const filter = findingFilter(query)
  const [rows, facets] = [await openFindings(c.db, filter), await findingFacets(c.db)]
  const chips = (
    key: 'environment' | 'severity' | 'policy' | 'repo',
    label: string,
    values: readonly string[],
  ): string => {
    const link = (value: string | undefined, text: string): string => {
      const q = new URLSearchParams(query)
      if (value === undefined) q.delete(key)
      else q.set(key, value)
      const on = (filter[key] ?? undefined) === value
      return `<a href="/findings${q.size ? `?${esc(q.toString())}` : ''}" class="${on ? 'on' : ''}" data-filter="${key}" data-value="${esc(value ?? '')}">${esc(text)}</a>`
    }
    return `<div class="filters"><span>${label}</span>${link(undefined, 'any')}${values.map((v) => link(v, v)).join('')}</div>`
  }
  const body = `${chips('environment', 'Environment', facets.environments)}${chips('severity', 'Severity', SEVERITIES.slice().reverse())}${chips('repo', 'Repository', facets.repos)}${chips('policy', 'Policy', facets.policies)}
<p><span data-count="findings">${rows.length}</span> open findings${rows.length === filter.limit ? ' (first 500)' : ''}</p>
${table('findings', ['severity', 'policy', 'environment', 'action', 'resource', 'location', 'message', 'first seen'], rows.map(findingCells), 'No open findings match.')}`
  return layout('/findings', 'Findings', body, { subtitle: 'Open findings, with where they are in the repository' })
}

function findingCells(f: OpenFindingRow): string[] {
  const where = f.file === null ? '' : `${f.file}${f.line === null ? '' : `:${f.line}`}`
  const url = sourceUrl(f)
  const resource = [f.kind, f.namespace, f.name].filter(Boolean).join('/')
  return [
    `<span class="sev-${esc(f.severity)}">${esc(f.severity)}</span>`,
    esc(f.policy),
    esc(f.environment),
    `${esc(f.action)}${f.waived ? ' (waived)' : ''}`,
    esc(resource),
    url ? `<a href="${esc(url)}" data-location>${esc(where)}</a>` : `<span data-location>${esc(where)}</span>`,
    esc(f.message),
    esc(f.firstSeenAt.slice(0, 10)),
  ]
}

/** A link to the file and line on the forge, when the repository is a known forge's and the commit is known. */
export function sourceUrl(f: Pick<OpenFindingRow, 'repo' | 'commit' | 'file' | 'line'>): string | undefined {
  if (f.file === null || f.commit === null || !/^[0-9a-f]{7,64}$/.test(f.commit)) return undefined
  const path = f.file.split('/').map(encodeURIComponent).join('/')
  const line = f.line === null ? '' : `#L${f.line}`
  if (/^(github\.com|gitlab\.com)\/[\w.-]+\/[\w./-]+$/.test(f.repo)) {
    const blob = f.repo.startsWith('gitlab.com/') ? '-/blob' : 'blob'
    return `https://${f.repo}/${blob}/${f.commit}/${path}${line}`
  }
  return undefined
}

export async function rolloutPage(c: PageContext): Promise<string> {
  const s = { rollout: await rolloutStats(c.db, options(c)) }
  const rows = s.rollout.map((r) => [
    esc(r.environment),
    esc(r.policy),
    esc(r.action),
    String(r.openFindings),
    esc(r.lastFindingAt?.slice(0, 10) ?? 'never'),
    `<span class="state-${r.state}" data-state="${r.state}">${r.state === 'ready' ? 'ready to enforce' : r.state}</span>`,
  ])
  const count = (state: string): number => s.rollout.filter((r) => r.state === state).length
  const body = `<div class="tiles">${tile('enforced', 'enforced (deny)', count('enforced'))}${tile('ready', 'ready to enforce', count('ready'))}${tile('not-ready', 'not ready', count('not-ready'))}</div>
${table('rollout', ['environment', 'policy', 'action', 'open findings', 'last finding', 'state'], rows, 'No runs recorded.')}`
  return layout('/rollout', 'Rollout', body, {
    subtitle: `A policy is ready to enforce in an environment after ${c.readyAfterDays} days there without a finding`,
  })
}

export async function admissionPage(c: PageContext): Promise<string> {
  const s = { admission: await admissionStats(c.db, c) }
  const chart = {
    x: s.admission.map((a) => a.day),
    unit: 'decisions',
    series: [
      { label: 'denied', values: s.admission.map((a) => a.denied) },
      { label: 'warned', values: s.admission.map((a) => a.warned) },
    ],
  }
  const denials = await recentDenials(c.db, 100)
  const body = `<div class="tiles">${tile(
    'denied',
    'denied',
    s.admission.reduce((n, a) => n + a.denied, 0),
  )}${tile(
    'warned',
    'warned',
    s.admission.reduce((n, a) => n + a.warned, 0),
  )}</div>
<h2>Per day</h2><div class="chart" data-chart="admission-data"></div>${jsonScript('admission-data', chart)}
<h2>Latest denials</h2>${table(
    'denials',
    ['time', 'policy', 'environment', 'namespace', 'object', 'operation', 'user', 'message'],
    denials.map((d) => [
      esc(d.at),
      esc(d.policy),
      esc(d.environment),
      esc(d.namespace),
      esc([d.kind, d.name].filter(Boolean).join('/')),
      esc(d.operation),
      esc(d.username),
      esc(d.message),
    ]),
    'No denials recorded (palisade serve --record).',
  )}`
  return layout('/admission', 'Admission', body, { charts: true, subtitle: sinceLine(c) })
}

export async function commitsPage(c: PageContext): Promise<string> {
  const s = { signed: await signedStats(c.db, c) }
  const [bySigner, commits] = [await signers(c.db, c.since), await recentCommits(c.db, 200)]
  const body = `<div class="tiles">${tile('signed', 'signed commits', pct(s.signed.share), `${s.signed.signed} of ${s.signed.commits}`)}</div>
<h2>Signers</h2>${table(
    'signers',
    ['signer', 'commits'],
    bySigner.map((r) => [esc(r.signer), String(r.commits)]),
    'No commits recorded.',
  )}
<h2>Latest commits</h2>${table(
    'commits',
    ['time', 'repository', 'commit', 'author', 'signer', 'verdict'],
    commits.map((r) => [
      esc(r.committedAt ?? ''),
      esc(r.repo),
      `<code>${esc(r.sha.slice(0, 12))}</code>`,
      esc(r.author),
      esc(r.signer),
      esc(r.verdict),
    ]),
    'No commits recorded (palisade verify-commits --record, history import).',
  )}`
  return layout('/commits', 'Commits and signers', body, { subtitle: sinceLine(c) })
}

export async function waiversPage(c: PageContext): Promise<string> {
  const s = { waivers: await waiverStats(c.db, options(c)) }
  const list = await activeWaivers(c.db, c.now.toISOString().slice(0, 10))
  const soon = new Set(s.waivers.expiringSoon.map((w) => `${w.repo}\n${w.policy}\n${w.reason}`))
  const rows = list.map((w) => [
    esc(w.expires ?? 'never'),
    esc(w.repo),
    esc(w.policy),
    esc(w.owner),
    esc(w.reason),
    String(w.findings),
    soon.has(`${w.repo}\n${w.policy}\n${w.reason}`) ? '<strong>expires within 14 days</strong>' : '',
  ])
  const body = `<div class="tiles">${tile('waivers-active', 'active waivers', s.waivers.active)}${tile('waivers-expiring', 'expiring in 14 days', s.waivers.expiringSoon.length)}</div>
${table('waivers', ['expires', 'repository', 'policy', 'owner', 'reason', 'findings', ''], rows, 'No active waivers.')}`
  return layout('/waivers', 'Waivers', body, {
    subtitle: 'Waivers in force in the latest run of each repository and ref',
  })
}
