import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type StoreLocation } from './index.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// SqlClient.batch: a run is written as one batch (one request to the engine in its worker
// thread). It must be one transaction on every engine, with each statement's rows in order.
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-batch-'))
let pg: PostgresServer | undefined
let n = 0
beforeAll(async () => {
  if (hasPostgres()) pg = await startPostgres()
})
afterAll(async () => {
  await pg?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

const engines: { name: string; skip: boolean; inWorker: boolean; fresh: () => Promise<StoreLocation> }[] = [
  {
    name: 'pglite',
    skip: false,
    inWorker: false,
    fresh: async () => ({ engine: 'pglite', dir: path.join(scratch, `s${++n}`) }),
  },
  {
    name: 'pglite in a worker thread',
    skip: false,
    inWorker: true,
    fresh: async () => ({ engine: 'pglite', dir: path.join(scratch, `s${++n}`) }),
  },
  {
    name: 'postgres',
    skip: !hasPostgres(),
    inWorker: false,
    fresh: async () => ({ engine: 'postgres', url: await createDatabase(pg as PostgresServer, `b${++n}`) }),
  },
]

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `a batch on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      it('returns the rows of each statement in order, and a failing statement undoes the whole batch', async () => {
        const store = await openStore(await engine.fresh(), { pid: process.pid, inWorker: engine.inWorker })
        try {
          const ok = await store.client.batch([
            { sql: 'CREATE TABLE t (n integer PRIMARY KEY)' },
            { sql: 'INSERT INTO t SELECT * FROM unnest($1::int[]) RETURNING n', params: [[1, 2]] },
            { sql: 'SELECT count(*)::int AS c FROM t' },
          ])
          expect(ok).toEqual([[], [{ n: 1 }, { n: 2 }], [{ c: 2 }]])
          await expect(
            store.client.batch([
              { sql: 'INSERT INTO t VALUES ($1)', params: [3] },
              { sql: 'INSERT INTO t VALUES ($1)', params: [1] }, // duplicate key
              { sql: 'INSERT INTO t VALUES ($1)', params: [4] },
            ]),
          ).rejects.toThrow(/duplicate key/)
          const rows = await store.client.query<{ n: number }>('SELECT n FROM t ORDER BY n')
          expect(rows.map((r) => r.n)).toEqual([1, 2])
        } finally {
          await store.close()
        }
      })
    },
  )
}

for (const engine of engines) {
  describe.skipIf(engine.skip)(`a recorded run on ${engine.name}${engine.skip ? ' (skipped)' : ''}`, () => {
    it('keeps text with tabs, line breaks, backslashes and \\N exactly (the embedded engine COPYs the findings)', async () => {
      const store = await openStore(await engine.fresh(), { pid: process.pid, inWorker: engine.inWorker })
      const odd = 'tab\there\nline\r\nback\\slash \\N \\. ünï 🙂'
      try {
        const outcome = await store.recordRun({
          meta: {
            repo: 'r',
            ref: 'main',
            startedAt: new Date('2026-03-02T00:00:00Z'),
            durationMs: 1,
            toolVersion: 't',
            policyDigest: 'd',
            environments: [],
            source: 'scan',
          },
          findings: [
            {
              fingerprint: 'f1',
              policy: 'p',
              severity: 'high',
              action: 'deny',
              status: 'fail',
              message: odd,
              file: 'a\\b.yaml',
              line: 7,
            },
            { fingerprint: 'f2', policy: 'p', severity: 'low', action: 'warn', status: 'error', message: '\\N' },
          ],
          policyActions: [],
        })
        expect(outcome).toMatchObject({ opened: 2 })
        const rows = await store.client.query<Record<string, unknown>>(
          'SELECT run_id::int AS run, fingerprint, environment, message, kind, file, line, waived FROM findings ORDER BY fingerprint',
        )
        expect(rows).toEqual([
          {
            run: outcome.runId,
            fingerprint: 'f1',
            environment: '',
            message: odd,
            kind: null,
            file: 'a\\b.yaml',
            line: 7,
            waived: false,
          },
          {
            run: outcome.runId,
            fingerprint: 'f2',
            environment: '',
            message: '\\N',
            kind: null,
            file: null,
            line: null,
            waived: false,
          },
        ])
        // A finding's run defaults to the run being written, and to nothing outside one.
        await expect(
          store.client.query(
            "INSERT INTO findings (fingerprint, policy, severity, action, status, message) VALUES ('x', 'p', 'high', 'deny', 'fail', 'm')",
          ),
        ).rejects.toThrow(/run_id/)
      } finally {
        await store.close()
      }
    })
  })
}

describe('the embedded store in a worker thread', () => {
  it('reports a folder PGlite cannot open as the store being unavailable, and releases the folder', async () => {
    const dir = path.join(scratch, 'not-a-database')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'PG_VERSION'), '9\n') // a data folder of another PostgreSQL
    await expect(openStore({ engine: 'pglite', dir }, { pid: process.pid, inWorker: true })).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining(`cannot open the embedded store in ${dir}`),
    })
    expect(existsSync(path.join(dir, 'palisade-store.lock'))).toBe(false)
  })
})
