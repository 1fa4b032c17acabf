import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  computeStats,
  MIGRATIONS,
  migrate,
  openFindings,
  openStore,
  type FindingRecord,
  type Store,
  type StoreLocation,
} from './index.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// One contract, two engines: every behaviour of the store is checked on embedded PGlite and on a real PostgreSQL server.
const finding = (fingerprint: string, over: Partial<FindingRecord> = {}): FindingRecord => ({
  fingerprint,
  policy: `policy-${fingerprint}`,
  severity: 'high',
  action: 'deny',
  status: 'fail',
  message: `m ${fingerprint}`,
  environment: 'production',
  file: 'deploy.yaml',
  line: 3,
  ...over,
})
const at = (isoDay: string): Date => new Date(`${isoDay}T12:00:00Z`)
const run = (day: string, findings: FindingRecord[], commit = day, ref = 'main') => ({
  meta: {
    repo: 'github.com/acme/apps',
    ref,
    commit,
    startedAt: at(day),
    durationMs: 10,
    toolVersion: '0.1.0',
    policyDigest: 'd',
    environments: ['production'],
    source: 'scan' as const,
  },
  findings,
  policyActions: [
    { policy: 'policy-a', environment: 'production', action: 'warn' as const },
    { policy: 'policy-quiet', environment: 'production', action: 'warn' as const },
    { policy: 'policy-b', environment: 'production', action: 'deny' as const },
  ],
})

let pg: PostgresServer | undefined
let dbCount = 0
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-store-'))
const withPostgres = hasPostgres()
// PGlite's initdb (WebAssembly) takes seconds: each test copies one migrated, closed store folder.
const template = path.join(scratch, 'template')
beforeAll(async () => {
  await (await openStore({ engine: 'pglite', dir: template }, { pid: process.pid })).close()
  if (withPostgres) pg = await startPostgres()
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
const engines: { name: string; fresh: () => Promise<StoreLocation>; skip: boolean; inWorker?: boolean }[] = [
  { name: 'pglite', skip: false, fresh: freshPglite },
  // As scan --record opens it: in a worker thread, started briefly (Liftoff only, small buffer pool).
  { name: 'pglite in a worker thread', skip: false, fresh: freshPglite, inWorker: true },
  {
    name: 'postgres',
    skip: !withPostgres,
    fresh: async () => ({ engine: 'postgres', url: await createDatabase(pg as PostgresServer, `t${++dbCount}`) }),
  },
]

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `store on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      const open = async (location: StoreLocation): Promise<Store> =>
        openStore(location, { pid: process.pid, inWorker: engine.inWorker === true })

      it('applies the migrations once, on open, and refuses a schema newer than it knows', async () => {
        const location = await engine.fresh()
        const store = await open(location)
        expect(await migrate(store.client)).toEqual([])
        const rows = await store.client.query<{ version: number }>('SELECT version FROM palisade_schema')
        expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version))
        await store.client.query('INSERT INTO palisade_schema (version, name) VALUES (999, $1)', ['from the future'])
        await store.close()
        await expect(open(location)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
      })

      it('tracks a finding across runs: opened, fixed, reopened, with its time to fix', async () => {
        const store = await open(await engine.fresh())
        try {
          const first = await store.recordRun(
            run('2026-03-02', [finding('a'), finding('b', { severity: 'low', action: 'warn' })]),
          )
          expect(first).toMatchObject({ opened: 2, fixed: 0, reopened: 0, lifecycleUpdated: true })
          expect(await store.recordRun(run('2026-03-04', [finding('b', { severity: 'low' })]))).toMatchObject({
            opened: 0,
            fixed: 1,
            reopened: 0,
          })
          expect(await store.recordRun(run('2026-03-10', [finding('a'), finding('c')]))).toMatchObject({
            opened: 1,
            fixed: 1,
            reopened: 1,
          })
          // An older run arriving late is kept but does not rewind the lifecycle.
          expect(await store.recordRun(run('2026-03-01', []))).toMatchObject({ lifecycleUpdated: false, fixed: 0 })

          const stats = await computeStats(store.client, {
            since: at('2026-01-01'),
            now: at('2026-03-20'),
            readyAfterDays: 7,
            expiringWithinDays: 14,
          })
          expect(stats.runs).toBe(4)
          expect(stats.open).toEqual({ total: 2, bySeverity: { high: 2 }, byEnvironment: { production: 2 } })
          const all = stats.timeToFix.find((t) => t.severity === 'all')
          expect(all).toEqual({ severity: 'all', fixed: 2, meanHours: (48 + 8 * 24) / 2, p90Hours: expect.any(Number) })
          expect(stats.timeToFix.find((t) => t.severity === 'high')).toMatchObject({ fixed: 1, meanHours: 48 })
          expect(stats.weekly).toEqual([
            { week: '2026-03-02', opened: 2, fixed: 1 },
            { week: '2026-03-09', opened: 2, fixed: 1 },
          ])
          const rollout = Object.fromEntries(stats.rollout.map((r) => [r.policy, r.state]))
          expect(rollout).toEqual({ 'policy-a': 'not-ready', 'policy-quiet': 'ready', 'policy-b': 'enforced' })

          const rows = await openFindings(store.client, { severity: 'high' })
          expect(rows.map((r) => r.policy).sort()).toEqual(['policy-a', 'policy-c'])
          expect(rows[0]).toMatchObject({
            file: 'deploy.yaml',
            line: 3,
            environment: 'production',
            commit: '2026-03-10',
          })
          expect(await openFindings(store.client, { policy: 'policy-b' })).toEqual([])
        } finally {
          await store.close()
        }
      })

      it('keeps runs of different refs apart and counts signed commits, waivers and admission', async () => {
        const store = await open(await engine.fresh())
        try {
          await store.recordRun(run('2026-03-02', [finding('a')], 'x', 'main'))
          expect(await store.recordRun(run('2026-03-03', [], 'y', 'feature'))).toMatchObject({ fixed: 0 })
          expect([...(await store.recordedCommits('github.com/acme/apps', 'main'))]).toEqual(['x'])
          await store.recordRun(
            run(
              '2026-03-05',
              [
                finding('w', { waiver: { source: 'config', reason: 'legacy', owner: 'ops', expires: '2026-03-25' } }),
                finding('v', { waiver: { source: 'annotation', reason: 'ok' } }),
              ],
              'z',
              'main',
            ),
          )
          await store.recordCommits([
            { repo: 'r', sha: '1', committedAt: at('2026-03-01'), signed: true, signer: 'alice', verdict: 'verified' },
            { repo: 'r', sha: '2', committedAt: at('2026-03-02'), signed: false, verdict: 'unsigned' },
            { repo: 'r', sha: '2', committedAt: at('2026-03-02'), signed: false, verdict: 'unsigned' },
          ])
          const decision = {
            policy: 'p',
            namespace: 'shop',
            environment: 'production',
            message: 'no',
            kind: 'Pod',
            name: 'x',
          }
          await store.recordAdmission(
            [
              { ...decision, at: new Date('2026-03-19T10:00:05Z'), action: 'deny', denied: true },
              { ...decision, at: new Date('2026-03-19T10:00:50Z'), action: 'deny', denied: true },
              { ...decision, at: new Date('2026-03-19T11:00:00Z'), action: 'warn', denied: false },
              { ...decision, at: new Date('2026-01-01T00:00:00Z'), action: 'deny', denied: true },
            ],
            { days: 30, now: at('2026-03-20') },
          )
          // A second replica adds to the same minute.
          await store.recordAdmission(
            [{ ...decision, at: new Date('2026-03-19T10:00:30Z'), action: 'deny', denied: true }],
            { days: 30, now: at('2026-03-20') },
          )
          const stats = await computeStats(store.client, {
            since: at('2026-01-01'),
            now: at('2026-03-20'),
            readyAfterDays: 7,
            expiringWithinDays: 14,
          })
          expect(stats.signed).toEqual({ commits: 2, signed: 1, share: 0.5 })
          expect(stats.admission).toEqual([{ day: '2026-03-19', denied: 3, warned: 1, audited: 0 }])
          const minutes = await store.client.query<{ n: number }>('SELECT count(*)::int AS n FROM admission_minutes')
          expect(Number(minutes[0]?.n)).toBe(2)
          const denials = await store.client.query<{ n: number }>('SELECT count(*)::int AS n FROM admission_denials')
          expect(Number(denials[0]?.n)).toBe(3) // the January one is past the 30-day retention
          expect(stats.waivers.active).toBe(2)
          expect(stats.waivers.expiringSoon).toEqual([
            {
              repo: 'github.com/acme/apps',
              policy: 'policy-w',
              reason: 'legacy',
              owner: 'ops',
              expires: '2026-03-25',
              findings: 1,
            },
          ])
        } finally {
          await store.close()
        }
      })

      it('serialises concurrent writers of one repo and ref: every run recorded, lifecycle consistent', async () => {
        const location = await engine.fresh()
        // Two stores at once: PostgreSQL serialises them with an advisory lock; PGlite's second opener waits for the folder lock.
        const [one, two] = [await open(location), engine.name === 'postgres' ? await open(location) : undefined]
        const writes = [
          one.recordRun(run('2026-03-02', [finding('a')], 'c1')),
          (two ?? one).recordRun(run('2026-03-03', [finding('a')], 'c2')),
        ]
        await Promise.all(writes)
        await two?.close()
        const lifecycle = await one.client.query<{ n: number }>('SELECT count(*)::int AS n FROM finding_lifecycle')
        expect(Number(lifecycle[0]?.n)).toBe(1)
        expect((await one.recordedCommits('github.com/acme/apps', 'main')).size).toBe(2)
        await one.close()
      })

      it('writes 20,000 findings of one run', async () => {
        const store = await open(await engine.fresh())
        try {
          const many = Array.from({ length: 20_000 }, (_, i) => finding(`f${i}`))
          expect(await store.recordRun(run('2026-03-02', many))).toMatchObject({ opened: 20_000 })
          const rows = await store.client.query<{ n: number }>('SELECT count(*)::int AS n FROM findings')
          expect(Number(rows[0]?.n)).toBe(20_000)
        } finally {
          await store.close()
        }
      })
    },
  )
}
