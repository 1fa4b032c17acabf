import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  activeWaivers,
  computeStats,
  openFindings,
  openStore,
  rolloutStats,
  type FindingRecord,
  type RunRecord,
  type Store,
  type StoreLocation,
} from './index.js'
import { NO_DRIFT, rollupDrift } from './testing/rollup-drift.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// The latest run of a ref (ref-heads.ts, docs/store.md): the run of the commit furthest along the
// ref's first-parent history, not the one with the latest start time.
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-latest-'))
let pg: PostgresServer | undefined
let n = 0
beforeAll(async () => {
  if (hasPostgres()) pg = await startPostgres()
})
afterAll(async () => {
  await pg?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

const finding = (fingerprint: string, waived = false): FindingRecord => ({
  fingerprint,
  policy: `policy-${fingerprint}`,
  severity: 'high',
  action: 'warn',
  status: 'fail',
  message: `m ${fingerprint}`,
  environment: 'production',
  file: 'deploy.yaml',
  line: 1,
  ...(waived ? { waiver: { source: 'config' as const, reason: `accepted in ${fingerprint}`, owner: 'team' } } : {}),
})
interface Shape {
  position?: number
  at: string
  source?: 'scan' | 'history'
  action?: 'warn' | 'deny'
  rewrites?: number
}
const run = (shape: Shape, findings: FindingRecord[]): RunRecord => ({
  meta: {
    repo: 'github.com/acme/apps',
    ref: 'main',
    commit: `c${shape.position ?? 'x'}-${shape.at}`,
    startedAt: new Date(`2026-03-${shape.at}Z`),
    durationMs: 1,
    toolVersion: 't',
    policyDigest: 'd',
    environments: ['production'],
    source: shape.source ?? 'scan',
    ...(shape.position === undefined ? {} : { position: shape.position }),
    ...(shape.rewrites === undefined ? {} : { rewrites: shape.rewrites }),
  },
  findings,
  policyActions: [{ policy: 'policy-a', environment: 'production', action: shape.action ?? 'warn' }],
})
const NOW = new Date('2026-03-20T00:00:00Z')
const OPTIONS = { since: new Date('2026-01-01T00:00:00Z'), now: NOW, readyAfterDays: 14, expiringWithinDays: 14 }
const head = async (store: Store): Promise<number> =>
  Number((await store.client.query<{ run: number }>('SELECT run_id::int AS run FROM ref_heads'))[0]?.run)
const openCommits = async (store: Store): Promise<string[][]> =>
  (await openFindings(store.client, {})).map((f) => [f.policy, f.commit ?? ''])

const engines = [
  {
    name: 'pglite',
    skip: false,
    fresh: async (): Promise<StoreLocation> => ({ engine: 'pglite', dir: path.join(scratch, `s${++n}`) }),
  },
  {
    name: 'postgres',
    skip: !hasPostgres(),
    fresh: async (): Promise<StoreLocation> => ({
      engine: 'postgres',
      url: await createDatabase(pg as PostgresServer, `l${++n}`),
    }),
  },
]

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `the latest run of a ref on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      it('follows a back-dated tip: it is the head, its lifecycle moves, and no time to fix goes negative', async () => {
        const store = await openStore(await engine.fresh(), { pid: process.pid })
        try {
          await store.recordRun(
            run({ position: 1, at: '05T12:00:00', source: 'history' }, [finding('a'), finding('b')]),
          )
          expect(
            await store.recordRun(run({ position: 2, at: '06T12:00:00', source: 'history' }, [finding('b')])),
          ).toMatchObject({ fixed: 1 })
          // The tip's committer date is older than its parent's.
          const tip = await store.recordRun(
            run({ position: 3, at: '01T12:00:00', source: 'history' }, [finding('a', true), finding('b')]),
          )
          expect(tip).toMatchObject({ lifecycleUpdated: true, reopened: 1, opened: 0 })
          expect(await head(store)).toBe(tip.runId)
          expect(await openCommits(store)).toEqual([
            ['policy-a', 'c3-01T12:00:00'],
            ['policy-b', 'c3-01T12:00:00'],
          ])
          expect((await activeWaivers(store.client, '2026-03-20')).map((w) => w.reason)).toEqual(['accepted in a'])
          // The tip's events take its parent's time: a was reopened on the 6th, fixed on the 7th.
          expect(await store.recordRun(run({ position: 4, at: '07T12:00:00' }, []))).toMatchObject({ fixed: 2 })
          const stats = await computeStats(store.client, OPTIONS)
          expect(stats.timeToFix.find((t) => t.severity === 'all')).toMatchObject({ fixed: 3, meanHours: 32 })
          const events = await store.client.query<{ hours: number }>(
            "SELECT (extract(epoch FROM at - open_since) / 3600)::float8 AS hours FROM finding_events WHERE event = 'fixed' ORDER BY 1",
          )
          expect(events.map((e) => Number(e.hours))).toEqual([24, 24, 48])
          expect(await rollupDrift(store.client)).toEqual(NO_DRIFT)
        } finally {
          await store.close()
        }
      })

      it('keeps the live head when past commits are imported after it, even one dated later', async () => {
        const store = await openStore(await engine.fresh(), { pid: process.pid })
        try {
          const live = await store.recordRun(run({ position: 5, at: '10T12:00:00' }, [finding('a')]))
          // An import on the 12th: commit 3 by its date, commit 4 dated in the future and so recorded at the import's time.
          for (const [position, at] of [
            [3, '09T12:00:00'],
            [4, '12T12:00:00'],
          ] as const) {
            const past = await store.recordRun(
              run({ position, at, source: 'history', action: 'deny' }, [finding('x', true), finding('a')]),
            )
            expect(past).toMatchObject({ lifecycleUpdated: false })
          }
          expect(await head(store)).toBe(live.runId)
          expect(await openCommits(store)).toEqual([['policy-a', 'c5-10T12:00:00']])
          expect(await activeWaivers(store.client, '2026-03-20')).toEqual([])
          expect((await rolloutStats(store.client, OPTIONS)).map((r) => [r.policy, r.action])).toEqual([
            ['policy-a', 'warn'],
          ])
          expect((await computeStats(store.client, OPTIONS)).open.total).toBe(1)
          expect(await rollupDrift(store.client)).toEqual(NO_DRIFT)
        } finally {
          await store.close()
        }
      })

      it('does not let a re-run of an old commit replace the head; a rescan of the head, or a run without a position, does', async () => {
        const store = await openStore(await engine.fresh(), { pid: process.pid })
        try {
          const tip = await store.recordRun(run({ position: 3, at: '10T12:00:00' }, [finding('a')]))
          const rerun = await store.recordRun(run({ position: 2, at: '11T12:00:00' }, [finding('a'), finding('b')]))
          expect(rerun).toMatchObject({ lifecycleUpdated: false })
          expect(await head(store)).toBe(tip.runId)
          expect(await openCommits(store)).toEqual([['policy-a', 'c3-10T12:00:00']])
          // The same commit scanned again (new policies, say) is the newer word on it.
          const again = await store.recordRun(run({ position: 3, at: '12T12:00:00' }, []))
          expect(again).toMatchObject({ lifecycleUpdated: true, fixed: 1 })
          // A shallow clone cannot tell its position: the later start decides, as before positions.
          const shallow = await store.recordRun(run({ at: '13T12:00:00' }, [finding('c')]))
          expect(shallow).toMatchObject({ lifecycleUpdated: true, opened: 1 })
          expect(await store.recordRun(run({ at: '12T18:00:00' }, []))).toMatchObject({ lifecycleUpdated: false })
          expect(await head(store)).toBe(shallow.runId)
          expect(await rollupDrift(store.client)).toEqual(NO_DRIFT)
        } finally {
          await store.close()
        }
      })

      it('lets a run that rewrites the head replace it whatever the positions, only while that run is still the head', async () => {
        const store = await openStore(await engine.fresh(), { pid: process.pid })
        try {
          const old = await store.recordRun(run({ position: 3, at: '10T12:00:00' }, [finding('a')]))
          const next = await store.recordRun(run({ position: 4, at: '11T12:00:00' }, [finding('a')]))
          // Git was asked while `old` was the head; `next` took it since: the usual rule decides.
          const stale = await store.recordRun(run({ position: 2, at: '12T12:00:00', rewrites: old.runId }, []))
          expect(stale).toMatchObject({ lifecycleUpdated: false })
          expect(await head(store)).toBe(next.runId)
          const rewritten = await store.recordRun(run({ position: 2, at: '13T12:00:00', rewrites: next.runId }, []))
          expect(rewritten).toMatchObject({ lifecycleUpdated: true, fixed: 1 })
          expect(await head(store)).toBe(rewritten.runId)
          expect((await computeStats(store.client, OPTIONS)).open.total).toBe(0)
          expect(await rollupDrift(store.client)).toEqual(NO_DRIFT)
        } finally {
          await store.close()
        }
      })
    },
  )
}
