import type { SqlQueryable } from '../store/index.js'

/** The period a report covers: [since, until). */
export interface Period {
  since: Date
  until: Date
  /** Only runs and findings of this environment (palisade.yaml environments[].name). */
  env?: string
}

/** What the store recorded about one policy over a period. */
export interface PolicyFigures {
  runs: number
  opened: number
  fixed: number
  openNow: number
  admission: { denied: number; warned: number; audited: number }
  waivers: { reason: string; owner: string | null; expires: string | null; findings: number }[]
}

/** Figures of the period as a whole: runs, the days without any, commits and signers. */
export interface PeriodFigures {
  runs: number
  repos: string[]
  runDays: string[]
  commits: { total: number; signed: number; verified: number }
  signers: { signer: string; commits: number }[]
}

const envClause = (column: string, index: number, period: Period): string =>
  period.env === undefined ? '' : ` AND ${column} = $${index}`
const envParam = (period: Period): unknown[] => (period.env === undefined ? [] : [period.env])
const empty = (): PolicyFigures => ({
  runs: 0,
  opened: 0,
  fixed: 0,
  openNow: 0,
  admission: { denied: 0, warned: 0, audited: 0 },
  waivers: [],
})

/** Per policy: runs that had it in force, findings opened (or reopened) and fixed, open at the end, admission decisions, waivers. */
export async function policyFigures(db: SqlQueryable, period: Period): Promise<Map<string, PolicyFigures>> {
  const out = new Map<string, PolicyFigures>()
  const get = (policy: string): PolicyFigures =>
    out.get(policy) ?? (out.set(policy, empty()).get(policy) as PolicyFigures)
  const range = [period.since, period.until, ...envParam(period)]
  const runs = await db.query<{ policy: string; n: number }>(
    `SELECT p.policy, count(DISTINCT p.run_id)::int AS n FROM run_policies p JOIN runs r ON r.id = p.run_id
     WHERE r.started_at >= $1 AND r.started_at < $2${envClause('p.environment', 3, period)} GROUP BY p.policy`,
    range,
  )
  for (const r of runs) get(r.policy).runs = Number(r.n)
  const events = await db.query<{ policy: string; event: string; n: number }>(
    `SELECT policy, event, count(*)::int AS n FROM finding_events WHERE at >= $1 AND at < $2${envClause('environment', 3, period)} GROUP BY policy, event`,
    range,
  )
  for (const e of events) {
    if (e.event === 'fixed') get(e.policy).fixed += Number(e.n)
    else get(e.policy).opened += Number(e.n)
  }
  // Open at the end of the period: opened by then and not fixed by then (a later fix does not count).
  const open = await db.query<{ policy: string; n: number }>(
    `SELECT policy, count(*)::int AS n FROM finding_lifecycle WHERE open_since < $2 AND (fixed_at IS NULL OR fixed_at >= $2) AND $1::timestamptz IS NOT NULL${envClause('environment', 3, period)} GROUP BY policy`,
    range,
  )
  for (const o of open) get(o.policy).openNow = Number(o.n)
  const admission = await db.query<{ policy: string; action: string; n: number }>(
    `SELECT policy, action, sum(count)::int AS n FROM admission_minutes WHERE minute >= $1 AND minute < $2${envClause('environment', 3, period)} GROUP BY policy, action`,
    range,
  )
  for (const a of admission) {
    const f = get(a.policy).admission
    if (a.action === 'deny') f.denied += Number(a.n)
    else if (a.action === 'warn') f.warned += Number(a.n)
    else f.audited += Number(a.n)
  }
  const waivers = await db.query<{
    policy: string
    reason: string
    owner: string | null
    expires: string | null
    findings: number
  }>(
    `SELECT w.policy, w.reason, w.owner, to_char(w.expires, 'YYYY-MM-DD') AS expires, max(w.findings)::int AS findings
     FROM waivers w JOIN runs r ON r.id = w.run_id WHERE r.started_at >= $1 AND r.started_at < $2${period.env === undefined ? '' : ' AND $3 = ANY (r.environments)'}
     GROUP BY w.policy, w.reason, w.owner, w.expires ORDER BY w.policy, w.expires NULLS LAST, w.reason`,
    range,
  )
  for (const w of waivers)
    get(w.policy).waivers.push({ reason: w.reason, owner: w.owner, expires: w.expires, findings: Number(w.findings) })
  return out
}

/** Runs, the days that had one, commits and their signers over the period. */
export async function periodFigures(db: SqlQueryable, period: Period): Promise<PeriodFigures> {
  const range = [period.since, period.until, ...envParam(period)]
  const envRuns = period.env === undefined ? '' : ' AND $3 = ANY (environments)'
  const runs = await db.query<{ day: string; repo: string; n: number }>(
    `SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, repo, count(*)::int AS n FROM runs WHERE started_at >= $1 AND started_at < $2${envRuns} GROUP BY 1, 2 ORDER BY 1, 2`,
    range,
  )
  const commits = await db.query<{ signed: boolean; verdict: string; signer: string | null }>(
    'SELECT signed, verdict, signer FROM commits WHERE committed_at >= $1 AND committed_at < $2',
    [period.since, period.until],
  )
  const bySigner = new Map<string, number>()
  for (const c of commits) {
    const who = c.signer ?? (c.signed ? '(signed, not verified)' : '(unsigned)')
    bySigner.set(who, (bySigner.get(who) ?? 0) + 1)
  }
  return {
    runs: runs.reduce((sum, r) => sum + Number(r.n), 0),
    repos: [...new Set(runs.map((r) => r.repo))].sort(),
    runDays: [...new Set(runs.map((r) => r.day))],
    commits: {
      total: commits.length,
      signed: commits.filter((c) => c.signed).length,
      verified: commits.filter((c) => c.verdict === 'verified').length,
    },
    signers: [...bySigner]
      .map(([signer, n]) => ({ signer, commits: n }))
      .sort((a, b) => b.commits - a.commits || a.signer.localeCompare(b.signer)),
  }
}
