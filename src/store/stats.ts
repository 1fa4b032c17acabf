import type { Action, Severity } from '../core/index.js'
import { LATEST_RUNS } from './ref-heads.js'
import type { SqlQueryable } from './sql-client.js'
import { timeToFix, type FixGroup } from './time-to-fix.js'
import type { DeliveryRow, FindingFilter, OpenFindingRow, RolloutRow, Stats, WaiverRow } from './stats-types.js'

/** Options of a statistics query. */
export interface StatsOptions {
  since: Date
  now: Date
  /** A policy is ready to enforce in an environment after this many days without a finding there. */
  readyAfterDays: number
  /** Waivers expiring within this many days are listed. */
  expiringWithinDays: number
}

const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
const SEVERITY_RANK =
  "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END"

/** Every figure of `palisade stats`, read in one snapshot-consistent pass of queries. */
export async function computeStats(db: SqlQueryable, o: StatsOptions): Promise<Stats> {
  const num = (v: unknown): number => Number(v ?? 0)
  const [totals] = await db.query<{ runs: number; repos: number }>(
    'SELECT count(*)::int AS runs, count(DISTINCT repo)::int AS repos FROM runs WHERE started_at >= $1',
    [o.since],
  )
  // The rollups (rollups.ts), kept on write: hundreds of rows, not the history.
  const open = await db.query<{ severity: Severity; environment: string; n: number }>(
    `SELECT severity, environment, sum(open)::int AS n FROM open_counts GROUP BY severity, environment HAVING sum(open) > 0
     ORDER BY ${SEVERITY_RANK}, environment`,
  )
  const bySeverity: Partial<Record<Severity, number>> = {}
  const byEnvironment: Record<string, number> = {}
  for (const r of open) {
    bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + num(r.n)
    const env = r.environment || '(none)'
    byEnvironment[env] = (byEnvironment[env] ?? 0) + num(r.n)
  }
  // Whole days from finding_days; the events of the first day from `since` on, one by one.
  const firstDayEnd = "(date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') + interval '1 day')"
  const weekly = await db.query<{ week: string; opened: number; fixed: number }>(
    // Grouped on the week's start, formatted once per week (not once per day).
    `SELECT to_char(w, 'YYYY-MM-DD') AS week, opened, fixed FROM (
       SELECT date_trunc('week', d) AS w, sum(opened)::int AS opened, sum(fixed)::int AS fixed FROM (
         SELECT day::timestamp AS d, opened, fixed FROM finding_days WHERE day >= ${firstDayEnd}::date
         UNION ALL
         SELECT at AT TIME ZONE 'UTC', (event <> 'fixed')::int, (event = 'fixed')::int FROM finding_events
         WHERE at >= $1 AND at < ${firstDayEnd} AT TIME ZONE 'UTC') e
       GROUP BY 1) t ORDER BY w`,
    [o.since],
  )
  // Fixes grouped by hours to fix (fix_times): the distribution in a few rows, its p90 here.
  const fixes = await db.query<FixGroup>(
    `SELECT severity, hours, sum(n)::int AS n FROM fix_times WHERE at >= $1 GROUP BY severity, hours ORDER BY severity, hours`,
    [o.since],
  )
  return {
    since: o.since.toISOString(),
    generatedAt: o.now.toISOString(),
    runs: num(totals?.runs),
    repositories: num(totals?.repos),
    open: { total: open.reduce((s, r) => s + num(r.n), 0), bySeverity, byEnvironment },
    weekly: weekly.map((w) => ({ week: w.week, opened: num(w.opened), fixed: num(w.fixed) })),
    timeToFix: timeToFix(
      fixes.map((f) => ({ severity: f.severity, hours: Number(f.hours), n: Number(f.n) })),
      round,
    ),
    signed: await signedStats(db, o),
    admission: await admissionStats(db, o),
    waivers: await waiverStats(db, o),
    rollout: await rolloutStats(db, o),
    delivery: await deliveryStats(db, o),
  }
}

/** Signed share of the commits since `since`. */
export async function signedStats(db: SqlQueryable, o: Pick<StatsOptions, 'since'>): Promise<Stats['signed']> {
  const [signed] = await db.query<{ commits: number; signed: number }>(
    'SELECT count(*)::int AS commits, count(*) FILTER (WHERE signed)::int AS signed FROM commits WHERE committed_at >= $1 OR (committed_at IS NULL AND recorded_at >= $1)',
    [o.since],
  )
  const commits = Number(signed?.commits ?? 0)
  return {
    commits,
    signed: Number(signed?.signed ?? 0),
    share: commits === 0 ? null : round(Number(signed?.signed ?? 0) / commits, 4),
  }
}

/** Admission decisions per day since `since`. */
export async function admissionStats(db: SqlQueryable, o: Pick<StatsOptions, 'since'>): Promise<Stats['admission']> {
  const rows = await db.query<{ day: string; denied: number; warned: number; audited: number }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day, denied, warned, audited FROM (
       SELECT date_trunc('day', minute AT TIME ZONE 'UTC') AS d, COALESCE(sum(count) FILTER (WHERE action = 'deny'), 0)::int AS denied,
         COALESCE(sum(count) FILTER (WHERE action = 'warn'), 0)::int AS warned, COALESCE(sum(count) FILTER (WHERE action = 'audit'), 0)::int AS audited
       FROM admission_minutes WHERE minute >= $1 GROUP BY 1) t ORDER BY d`,
    [o.since],
  )
  return rows.map((a) => ({
    day: a.day,
    denied: Number(a.denied),
    warned: Number(a.warned),
    audited: Number(a.audited),
  }))
}

/** Waivers in force and those expiring soon. */
export async function waiverStats(db: SqlQueryable, o: StatsOptions): Promise<Stats['waivers']> {
  const today = o.now.toISOString().slice(0, 10)
  const soon = new Date(o.now.getTime() + o.expiringWithinDays * 86_400_000).toISOString().slice(0, 10)
  const rows = await db.query<WaiverRow & { expires: string | null }>(
    `SELECT r.repo, w.policy, w.reason, w.owner, to_char(w.expires, 'YYYY-MM-DD') AS expires, sum(w.findings)::int AS findings
     FROM waivers w JOIN (${LATEST_RUNS}) r ON r.id = w.run_id
     WHERE w.expires IS NULL OR w.expires >= $1::date GROUP BY r.repo, w.policy, w.reason, w.owner, w.expires ORDER BY w.expires NULLS LAST, 1, 2`,
    [today],
  )
  return {
    active: rows.length,
    expiringSoon: rows
      .filter((r) => r.expires !== null && r.expires <= soon)
      .map((r) => ({ ...r, findings: Number(r.findings) })),
  }
}

const STRICTNESS: Record<string, number> = { audit: 0, warn: 1, deny: 2 }

/** Rollout state per policy and environment. */
export async function rolloutStats(db: SqlQueryable, o: StatsOptions): Promise<RolloutRow[]> {
  const actions = await db.query<{ policy: string; environment: string; action: Action }>(
    `SELECT DISTINCT p.policy, p.environment, p.action FROM run_policies p JOIN (${LATEST_RUNS}) r ON r.id = p.run_id`,
  )
  // Readiness needs watching: a policy first recorded yesterday has not yet gone N days without a finding.
  const watched = await db.query<{ policy: string; environment: string; first: string }>(
    `SELECT policy, environment, ${iso('first_at')} AS first FROM policy_first_seen`,
  )
  const firstSeen = new Map(watched.map((w) => [`${w.policy}\n${w.environment}`, Date.parse(w.first)]))
  const activity = await db.query<{ policy: string; environment: string; open: number; last: string | null }>(
    // An open finding was seen last in its ref's newest run (ref_heads); a fixed one, when fixed.
    `SELECT c.policy, c.environment, sum(c.open)::int AS open, ${iso('max(GREATEST(c.last_fixed_at, CASE WHEN c.open > 0 THEN h.at END))')} AS last
     FROM open_counts c LEFT JOIN ref_heads h ON h.repo = c.repo AND h.ref = c.ref GROUP BY c.policy, c.environment`,
  )
  const key = (p: string, e: string): string => `${p}\n${e}`
  const seen = new Map(activity.map((a) => [key(a.policy, a.environment), a]))
  const byKey = new Map<string, Action>()
  for (const a of actions) {
    const k = key(a.policy, a.environment)
    const before = byKey.get(k)
    // Across repositories, the weakest action decides whether a policy is enforced everywhere.
    if (before === undefined || (STRICTNESS[a.action] ?? 0) < (STRICTNESS[before] ?? 0)) byKey.set(k, a.action)
  }
  const cutoff = o.now.getTime() - o.readyAfterDays * 86_400_000
  return [...byKey.entries()]
    .map(([k, action]) => {
      const [policy = '', environment = ''] = k.split('\n')
      const a = seen.get(k)
      const openFindings = Number(a?.open ?? 0)
      const last = a?.last ?? null
      const clean =
        openFindings === 0 && (firstSeen.get(k) ?? Infinity) <= cutoff && (last === null || Date.parse(last) <= cutoff)
      const state: RolloutRow['state'] = action === 'deny' ? 'enforced' : clean ? 'ready' : 'not-ready'
      return { policy, environment: environment || '(none)', action, openFindings, lastFindingAt: last, state }
    })
    .sort((a, b) => a.environment.localeCompare(b.environment) || a.policy.localeCompare(b.policy))
}

async function deliveryStats(db: SqlQueryable, o: StatsOptions): Promise<DeliveryRow[]> {
  const rows = await db.query<{
    environment: string
    n: number
    lead: number | null
    failed: number
    restore: number | null
  }>(
    `SELECT environment, count(*)::int AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM deployed_at - authored_at))::float8 / 3600 AS lead,
       count(*) FILTER (WHERE reverted_by IS NOT NULL)::int AS failed,
       (avg(extract(epoch FROM restored_at - deployed_at)) FILTER (WHERE restored_at IS NOT NULL))::float8 / 3600 AS restore
     FROM deployments WHERE deployed_at >= $1 GROUP BY environment ORDER BY environment`,
    [o.since],
  )
  const weeks = Math.max(1, (o.now.getTime() - o.since.getTime()) / (7 * 86_400_000))
  return rows.map((r) => {
    const n = Number(r.n)
    return {
      environment: r.environment,
      deployments: n,
      perWeek: round(n / weeks),
      leadTimeHours: r.lead === null ? null : round(Number(r.lead)),
      changeFailureRate: n === 0 ? null : round(Number(r.failed) / n, 4),
      timeToRestoreHours: r.restore === null ? null : round(Number(r.restore)),
    }
  })
}

/** Open findings with their latest location, filtered, most severe first. */
export async function openFindings(db: SqlQueryable, filter: FindingFilter): Promise<OpenFindingRow[]> {
  const where = ['l.fixed_at IS NULL']
  const params: unknown[] = []
  const add = (sql: string, value: unknown): void => {
    params.push(value)
    where.push(sql.replace('?', `$${params.length}`))
  }
  if (filter.environment !== undefined)
    add('l.environment = ?', filter.environment === '(none)' ? '' : filter.environment)
  if (filter.severity !== undefined) add('l.severity = ?', filter.severity)
  if (filter.policy !== undefined) add('l.policy = ?', filter.policy)
  if (filter.repo !== undefined) add('l.repo = ?', filter.repo)
  params.push(filter.limit ?? 500)
  const order =
    "CASE l.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, l.repo, l.file, l.line, l.fingerprint"
  // The page is chosen on the lifecycle alone (it keeps the latest file and line), then each of
  // its rows is completed from its last run (an open finding's: its ref's head): a LATERAL with LIMIT is one primary-key probe per
  // row (a join let stale estimates scan every finding ever recorded).
  const rows = await db.query<OpenFindingRow & { environment: string }>(
    `SELECT l.repo, l.ref, l.policy, l.severity, l.environment, f.action, f.message, l.file, l.line, f.kind, f.namespace, f.name, f.waived,
       ${iso('l.first_seen_at')} AS "firstSeenAt", r.commit_sha AS commit
     FROM (SELECT * FROM finding_lifecycle l WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}) l
     LEFT JOIN ref_heads h ON h.repo = l.repo AND h.ref = l.ref
     CROSS JOIN LATERAL (SELECT * FROM findings f WHERE f.run_id = COALESCE(h.run_id, l.last_seen_run) AND f.fingerprint = l.fingerprint AND f.environment = l.environment LIMIT 1) f
     JOIN runs r ON r.id = COALESCE(h.run_id, l.last_seen_run)
     ORDER BY ${order}`,
    params,
  )
  return rows.map((r) => ({
    ...r,
    environment: r.environment || '(none)',
    line: r.line === null ? null : Number(r.line),
  }))
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
