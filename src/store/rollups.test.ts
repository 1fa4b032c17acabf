import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeStats, openStore, type FindingRecord, type Store, type StoreLocation } from './index.js'
import type { SqlQueryable } from './sql-client.js'
import type { Stats } from './stats-types.js'
import { NO_DRIFT, rollupDrift } from './testing/rollup-drift.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// Migration 4: stats reads summary tables kept on write. Its figures must be those the history gives.
const finding = (fingerprint: string, severity = 'high', environment = 'production'): FindingRecord => ({
  fingerprint,
  policy: `policy-${fingerprint.slice(0, 1)}`,
  severity: severity as FindingRecord['severity'],
  action: 'warn',
  status: 'fail',
  message: `m ${fingerprint}`,
  environment,
  file: 'deploy.yaml',
  line: 1,
})
const run = (repo: string, ref: string, iso: string, findings: FindingRecord[]) => ({
  meta: {
    repo,
    ref,
    commit: `${repo}-${iso}`,
    startedAt: new Date(iso),
    durationMs: 1,
    toolVersion: 't',
    policyDigest: 'd',
    environments: ['production', 'staging'],
    source: 'scan' as const,
  },
  findings,
  policyActions: [
    { policy: 'policy-a', environment: 'production', action: 'warn' as const },
    { policy: 'policy-b', environment: 'staging', action: 'audit' as const },
  ],
})

/** A history with new, fixed and reopened findings of several severities, at several times of day. */
async function recordHistory(store: Store): Promise<void> {
  const a = finding('a1')
  const b = finding('b1', 'low', 'staging')
  const c = finding('a2', 'critical')
  const d = finding('b2', 'medium', 'staging')
  await store.recordRun(run('r1', 'main', '2026-03-02T03:00:00Z', [a, b, c]))
  await store.recordRun(run('r1', 'main', '2026-03-04T05:00:00Z', [a, d]))
  await store.recordRun(run('r1', 'main', '2026-03-04T20:00:00Z', [a, b]))
  await store.recordRun(run('r1', 'main', '2026-03-11T09:30:00Z', [b, c, d]))
  await store.recordRun(run('r1', 'dev', '2026-03-04T18:00:00Z', [a, c]))
  await store.recordRun(run('r1', 'dev', '2026-03-09T00:00:00Z', []))
  await store.recordRun(run('r2', 'main', '2026-03-03T23:59:59Z', [a, b, c, d]))
  await store.recordRun(run('r2', 'main', '2026-03-16T12:00:00Z', [d]))
  // Re-rated, no event: the open counts move from medium to high.
  await store.recordRun(run('r2', 'main', '2026-03-17T08:00:00Z', [{ ...d, severity: 'high' }]))
  // Late and older than its ref's newest run: kept, the lifecycle is not rewound.
  await store.recordRun(run('r2', 'main', '2026-03-05T12:00:00Z', []))
}

/** The figures as stats computed them from the history before the rollups (migration 3). */
async function fromHistory(
  db: SqlQueryable,
  since: Date,
): Promise<Pick<Stats, 'weekly' | 'timeToFix'> & { open: Record<string, number> }> {
  const open = await db.query<{ severity: string; environment: string; n: number }>(
    'SELECT severity, environment, count(*)::int AS n FROM finding_lifecycle WHERE fixed_at IS NULL GROUP BY 1, 2',
  )
  const weekly = await db.query<{ week: string; opened: number; fixed: number }>(
    `SELECT to_char(w, 'YYYY-MM-DD') AS week, opened, fixed FROM (
       SELECT date_trunc('week', at AT TIME ZONE 'UTC') AS w,
         count(*) FILTER (WHERE event IN ('opened', 'reopened'))::int AS opened, count(*) FILTER (WHERE event = 'fixed')::int AS fixed
       FROM finding_events WHERE at >= $1 GROUP BY 1) t ORDER BY w`,
    [since],
  )
  const ttf = await db.query<{ severity: string | null; fixed: number; mean: number; p90: number }>(
    `SELECT severity, count(*)::int AS fixed, avg(h)::float8 AS mean, percentile_cont(0.9) WITHIN GROUP (ORDER BY h)::float8 AS p90
     FROM (SELECT severity, extract(epoch FROM at - open_since)::float8 / 3600 AS h FROM finding_events WHERE event = 'fixed' AND at >= $1) t
     GROUP BY ROLLUP (severity) ORDER BY severity NULLS FIRST`,
    [since],
  )
  const round = (n: number): number => Math.round(n * 100) / 100
  return {
    open: Object.fromEntries(open.map((o) => [`${o.severity}/${o.environment}`, Number(o.n)])),
    weekly: weekly.map((w) => ({ week: w.week, opened: Number(w.opened), fixed: Number(w.fixed) })),
    timeToFix: ttf
      .filter((t) => Number(t.fixed) > 0)
      .map((t) => ({
        severity: (t.severity ?? 'all') as Stats['timeToFix'][number]['severity'],
        fixed: Number(t.fixed),
        meanHours: round(Number(t.mean)),
        p90Hours: round(Number(t.p90)),
      })),
  }
}

const options = (since: string) => ({
  since: new Date(since),
  now: new Date('2026-03-20T00:00:00Z'),
  readyAfterDays: 7,
  expiringWithinDays: 14,
})

let pg: PostgresServer | undefined
let dbCount = 0
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-rollups-'))
const template = path.join(scratch, 'template')
beforeAll(async () => {
  await (await openStore({ engine: 'pglite', dir: template }, { pid: process.pid })).close()
  if (hasPostgres()) pg = await startPostgres()
})
afterAll(async () => {
  await pg?.stop()
  rmSync(scratch, { recursive: true, force: true })
})
const freshPglite = async (): Promise<StoreLocation> => {
  const dir = path.join(scratch, `db${++dbCount}`)
  cpSync(template, dir, { recursive: true })
  return { engine: 'pglite', dir }
}
const engines = [
  { name: 'pglite', skip: false, fresh: freshPglite, inWorker: false },
  { name: 'pglite in a worker thread', skip: false, fresh: freshPglite, inWorker: true },
  {
    name: 'postgres',
    skip: !hasPostgres(),
    inWorker: false,
    fresh: async (): Promise<StoreLocation> => ({
      engine: 'postgres',
      url: await createDatabase(pg as PostgresServer, `r${++dbCount}`),
    }),
  },
]

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `stats rollups on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      const open = (location: StoreLocation): Promise<Store> =>
        openStore(location, { pid: process.pid, inWorker: engine.inWorker })

      it('give the figures the history gives, from any start: midnight, mid-day, a whole week', async () => {
        const store = await open(await engine.fresh())
        try {
          await recordHistory(store)
          expect(await rollupDrift(store.client)).toEqual(NO_DRIFT)
          for (const since of [
            '2026-01-01T00:00:00Z',
            '2026-03-04T00:00:00Z',
            '2026-03-04T06:00:00Z', // between two runs of the same day
            '2026-03-04T19:00:00Z',
            '2026-03-09T00:00:00Z',
            '2026-03-11T09:30:00Z', // exactly a run's time
          ]) {
            const stats = await computeStats(store.client, options(since))
            const history = await fromHistory(store.client, new Date(since))
            expect({ since, weekly: stats.weekly, timeToFix: stats.timeToFix }).toEqual({
              since,
              weekly: history.weekly,
              timeToFix: history.timeToFix,
            })
            expect(stats.open.total).toBe(Object.values(history.open).reduce((s, n) => s + n, 0))
          }
          const all = await computeStats(store.client, options('2026-01-01T00:00:00Z'))
          // Open: r1/main b1 a2 b2, r1/dev none, r2/main b2.
          expect(all.open).toEqual({
            total: 4,
            bySeverity: { critical: 1, high: 1, medium: 1, low: 1 },
            byEnvironment: { production: 1, staging: 3 },
          })
          expect(all.weekly.length).toBeGreaterThan(1)
          expect(all.timeToFix.find((t) => t.severity === 'all')?.fixed).toBeGreaterThan(3)
          const rollout = Object.fromEntries(all.rollout.map((r) => [r.policy, [r.openFindings, r.lastFindingAt]]))
          expect(rollout).toEqual({
            'policy-a': [1, '2026-03-16T12:00:00Z'],
            'policy-b': [3, '2026-03-17T08:00:00Z'],
          })
        } finally {
          await store.close()
        }
      })

      it('are not rewritten by a run that finds what the last one found', async () => {
        const store = await open(await engine.fresh())
        try {
          const same = [finding('a1'), finding('b1', 'low')]
          await store.recordRun(run('r1', 'main', '2026-03-02T10:00:00Z', same))
          const versions = 'SELECT xmin::text AS v FROM open_counts ORDER BY policy, severity'
          const before = await store.client.query<{ v: string }>(versions)
          expect(before).toHaveLength(2)
          await store.recordRun(run('r1', 'main', '2026-03-03T10:00:00Z', same))
          expect(await store.client.query<{ v: string }>(versions)).toEqual(before)
          // Moved to another line: recounted, same counts.
          await store.recordRun(
            run('r1', 'main', '2026-03-04T10:00:00Z', [{ ...finding('a1'), line: 7 }, finding('b1', 'low')]),
          )
          expect(await store.client.query<{ v: string }>(versions)).not.toEqual(before)
          expect(await rollupDrift(store.client)).toEqual(NO_DRIFT)
        } finally {
          await store.close()
        }
      })

      it('are filled from the rows of a store recorded before them (migration 4): same figures', async () => {
        const location = await engine.fresh()
        const store = await open(location)
        let before: Stats
        try {
          await recordHistory(store)
          before = await computeStats(store.client, options('2026-03-04T06:00:00Z'))
          // The store as Palisade left it before migration 4.
          await store.client.exec(
            'DROP TABLE finding_days, fix_times, open_counts, policy_first_seen; DELETE FROM palisade_schema WHERE version = 4;',
          )
        } finally {
          await store.close()
        }
        const reopened = await open(location)
        try {
          expect(await rollupDrift(reopened.client)).toEqual(NO_DRIFT)
          expect(await computeStats(reopened.client, options('2026-03-04T06:00:00Z'))).toEqual(before)
        } finally {
          await reopened.close()
        }
      })

      it('stay exact with concurrent writers of several repositories on the same day', async () => {
        const location = await engine.fresh()
        // PostgreSQL: one connection per writer, as CI jobs; PGlite is one connection, its writes queue.
        const stores = [await open(location)]
        if (location.engine === 'postgres') for (let i = 0; i < 3; i++) stores.push(await open(location))
        try {
          const repos = ['w1', 'w2', 'w3', 'w4']
          const findings = (n: number): FindingRecord[] =>
            Array.from({ length: n }, (_, i) => finding(`${i % 2 === 0 ? 'a' : 'b'}${i}`, i % 3 === 0 ? 'high' : 'low'))
          const writer = async (repo: string, i: number): Promise<void> => {
            const store = stores[i % stores.length] as Store
            await store.recordRun(run(repo, 'main', '2026-03-02T10:00:00Z', findings(40)))
            await store.recordRun(run(repo, 'main', '2026-03-02T10:00:00Z', findings(25))) // same instant: same day row
            await store.recordRun(run(repo, 'main', '2026-03-03T10:00:00Z', findings(30)))
          }
          await Promise.all(repos.map(writer))
          const db = (stores[0] as Store).client
          expect(await rollupDrift(db)).toEqual(NO_DRIFT)
          const days = await db.query<{ day: string; opened: number; fixed: number }>(
            "SELECT to_char(day, 'MM-DD') AS day, opened, fixed FROM finding_days ORDER BY day",
          )
          expect(days.map((d) => [d.day, Number(d.opened), Number(d.fixed)])).toEqual([
            ['03-02', 4 * 40, 4 * 15],
            ['03-03', 4 * 5, 0], // 5 reopened each
          ])
          const first = await db.query<{ policy: string; at: string }>(
            `SELECT policy, to_char(first_at AT TIME ZONE 'UTC', 'MM-DD"T"HH24') AS at FROM policy_first_seen ORDER BY policy`,
          )
          expect(first.map((f) => [f.policy, f.at])).toEqual([
            ['policy-a', '03-02T10'],
            ['policy-b', '03-02T10'],
          ])
        } finally {
          for (const s of stores) await s.close()
        }
      })
    },
  )
}
