import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type StoreLocation } from './index.js'
import { NO_DRIFT, rollupDrift } from './testing/rollup-drift.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// Acceptance (issue 16): killing a writer mid-run loses no earlier run and leaves no partial run visible.
const CHILD = fileURLToPath(new URL('./testing/killed-writer.ts', import.meta.url))
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-kill-'))
let pg: PostgresServer | undefined
beforeAll(async () => {
  if (hasPostgres()) pg = await startPostgres()
})
afterAll(async () => {
  await pg?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

/** Start the writer and SIGKILL it once its second run is written but not committed. */
function killMidRun(target: string, engine: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, engine], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('inside\n')) child.kill('SIGKILL')
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(out) : reject(new Error(`writer exited ${code}: ${err}`)),
    )
  })
}

const engines = [
  {
    name: 'pglite',
    skip: false,
    location: async (): Promise<StoreLocation> => ({ engine: 'pglite', dir: path.join(scratch, 'store') }),
  },
  {
    name: 'pglite-worker',
    skip: false,
    location: async (): Promise<StoreLocation> => ({ engine: 'pglite', dir: path.join(scratch, 'store-worker') }),
  },
  {
    name: 'postgres',
    skip: !hasPostgres(),
    location: async (): Promise<StoreLocation> => ({
      engine: 'postgres',
      url: await createDatabase(pg as PostgresServer, 'killed'),
    }),
  },
]

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `a writer killed mid-run on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      it('keeps the earlier run, shows nothing of the killed one, and the store takes the next run', async () => {
        const location = await engine.location()
        const target = location.engine === 'pglite' ? location.dir : location.url
        expect(await killMidRun(target, engine.name)).toBe('committed\ninside\n')
        if (location.engine === 'pglite') expect(existsSync(path.join(location.dir, 'palisade-store.lock'))).toBe(true) // left behind by the dead writer
        const store = await openStore(location, { pid: process.pid, lockWaitMs: 5_000 })
        try {
          const runs = await store.client.query<{ commit_sha: string; findings: number }>(
            'SELECT commit_sha, findings FROM runs ORDER BY id',
          )
          expect(runs.map((r) => [r.commit_sha, Number(r.findings)])).toEqual([['first', 3]])
          const findings = await store.client.query<{ n: number }>('SELECT count(*)::int AS n FROM findings')
          expect(Number(findings[0]?.n)).toBe(3)
          const lifecycle = await store.client.query<{ n: number }>('SELECT count(*)::int AS n FROM finding_lifecycle')
          expect(Number(lifecycle[0]?.n)).toBe(3)
          // The rollups stats reads hold the committed run and nothing of the killed one.
          expect(await rollupDrift(store.client)).toEqual(NO_DRIFT)
          const days = await store.client.query<{ opened: number; fixed: number }>(
            'SELECT sum(opened)::int AS opened, sum(fixed)::int AS fixed FROM finding_days',
          )
          expect(days.map((d) => [Number(d.opened), Number(d.fixed)])).toEqual([[3, 0]])
          const open = await store.client.query<{ n: number }>('SELECT sum(open)::int AS n FROM open_counts')
          expect(Number(open[0]?.n)).toBe(3)
          const next = await store.recordRun({
            meta: {
              repo: 'r',
              ref: 'main',
              commit: 'next',
              startedAt: new Date(),
              durationMs: 1,
              toolVersion: 't',
              policyDigest: 'd',
              environments: [],
              source: 'scan',
            },
            findings: [],
            policyActions: [],
          })
          expect(next).toMatchObject({ fixed: 3, lifecycleUpdated: true })
          expect(await rollupDrift(store.client)).toEqual(NO_DRIFT)
        } finally {
          await store.close()
        }
      })
    },
  )
}
