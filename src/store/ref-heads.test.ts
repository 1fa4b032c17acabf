import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIGRATIONS, migrate, openFindings, openStore, type FindingRecord, type StoreLocation } from './index.js'
import { openPglite } from './pglite-client.js'
import { openPostgres } from './postgres-client.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// Migration 3: a run no longer rewrites every open finding of its ref; the ref's newest run
// (ref_heads) says when an open finding was last seen. What stats and the dashboard read must not change.
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-heads-'))
let pg: PostgresServer | undefined
let n = 0
beforeAll(async () => {
  if (hasPostgres()) pg = await startPostgres()
})
afterAll(async () => {
  await pg?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

const finding = (fingerprint: string, line: number): FindingRecord => ({
  fingerprint,
  policy: `policy-${fingerprint}`,
  severity: 'high',
  action: 'deny',
  status: 'fail',
  message: `m ${fingerprint}`,
  environment: 'production',
  file: 'deploy.yaml',
  line,
})
const run = (day: number, findings: FindingRecord[]) => ({
  meta: {
    repo: 'github.com/acme/apps',
    ref: 'main',
    commit: `c${day}`,
    startedAt: new Date(Date.UTC(2026, 2, day, 12)),
    durationMs: 1,
    toolVersion: 't',
    policyDigest: 'd',
    environments: ['production'],
    source: 'scan' as const,
  },
  findings,
  policyActions: [],
})

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
      url: await createDatabase(pg as PostgresServer, `h${++n}`),
    }),
  },
]

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `the newest run of a ref on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      it('shows an unchanged open finding from the newest run, a moved one at its new line, and keeps when a fixed one was last seen', async () => {
        const store = await openStore(await engine.fresh(), { pid: process.pid })
        try {
          const first = await store.recordRun(run(2, [finding('a', 3), finding('b', 3), finding('c', 3)]))
          const second = await store.recordRun(run(4, [finding('a', 3), finding('b', 9), finding('c', 3)]))
          const third = await store.recordRun(run(6, [finding('a', 3), finding('b', 9)]))
          expect(third).toMatchObject({ fixed: 1, opened: 0 })
          // A late, older run is kept but is not the head.
          expect(await store.recordRun(run(1, []))).toMatchObject({ lifecycleUpdated: false })
          const open = await openFindings(store.client, {})
          expect(open.map((f) => [f.policy, f.line, f.commit])).toEqual([
            ['policy-a', 3, 'c6'],
            ['policy-b', 9, 'c6'],
          ])
          const lifecycle = await store.client.query<{ fingerprint: string; run: number; at: string }>(
            `SELECT fingerprint, last_seen_run::int AS run, to_char(last_seen_at AT TIME ZONE 'UTC', 'MM-DD') AS at
           FROM finding_lifecycle ORDER BY fingerprint`,
          )
          // a: never changed, written once; b: written when it moved; c: seen last in the run before its fix.
          expect(lifecycle.map((l) => [l.fingerprint, Number(l.run), l.at])).toEqual([
            ['a', first.runId, '03-02'],
            ['b', second.runId, '03-04'],
            ['c', second.runId, '03-04'],
          ])
          const heads = await store.client.query<{ run: number }>('SELECT run_id::int AS run FROM ref_heads')
          expect(heads.map((h) => Number(h.run))).toEqual([third.runId])
        } finally {
          await store.close()
        }
      })

      it('gives a store recorded before the migration the heads of its newest runs', async () => {
        const location = await engine.fresh()
        const client =
          location.engine === 'pglite'
            ? await openPglite(location.dir, { pid: process.pid, lockWaitMs: 5_000 })
            : await openPostgres(location.url)
        try {
          await migrate(client, MIGRATIONS.slice(0, 2))
          await client.exec(`
          INSERT INTO runs (repo, ref, started_at, duration_ms, tool_version, policy_digest, source, findings) VALUES
            ('r', 'main', '2026-03-02', 1, 't', 'd', 'scan', 0),
            ('r', 'main', '2026-03-04', 1, 't', 'd', 'scan', 0),
            ('r', 'main', '2026-03-01', 1, 't', 'd', 'history', 0),
            ('r', 'dev', '2026-03-03', 1, 't', 'd', 'scan', 0);`)
        } finally {
          await client.close()
        }
        const store = await openStore(location, { pid: process.pid })
        try {
          const heads = await store.client.query<{ ref: string; run: number }>(
            'SELECT ref, run_id::int AS run FROM ref_heads ORDER BY ref',
          )
          expect(heads.map((h) => [h.ref, Number(h.run)])).toEqual([
            ['dev', 4],
            ['main', 2],
          ])
        } finally {
          await store.close()
        }
      })
    },
  )
}
