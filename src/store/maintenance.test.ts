import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MAINTAIN_EVERY_RUNS, openStore, type FindingRecord, type RunRecord, type Store } from './index.js'

// PGlite has no autovacuum: what keeps an embedded store that only ever grows by `scan --record` in shape.
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-maintenance-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** n findings; the first `moved` of them at a line that differs in every run `at`. */
const findings = (n: number, at = 0, moved = 0): FindingRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    fingerprint: `fingerprint-${i}`,
    policy: `policy-${i % 7}`,
    severity: 'high',
    action: 'warn',
    status: 'fail',
    message: `message of finding ${i}`,
    environment: 'production',
    file: `apps/app-${i}.yaml`,
    line: i < moved ? 100 + at : 1 + (i % 40),
  }))
const run = (i: number, n: number, moved = 0): RunRecord => ({
  meta: {
    repo: 'github.com/acme/apps',
    ref: 'main',
    commit: `c${i}`,
    startedAt: new Date(Date.UTC(2026, 0, 1 + i)),
    durationMs: 1,
    toolVersion: 't',
    policyDigest: 'd',
    environments: ['production'],
    source: 'scan',
  },
  findings: findings(n, i, moved),
  policyActions: [],
})
const relationBytes = async (store: Store, table: string): Promise<number> =>
  Number((await store.client.query<{ n: number }>('SELECT pg_relation_size($1)::int AS n', [table]))[0]?.n)
const estimatedRows = async (store: Store, table: string): Promise<number> =>
  Number(
    (await store.client.query<{ n: number }>('SELECT reltuples::int AS n FROM pg_class WHERE relname = $1', [table]))[0]
      ?.n,
  )

describe('an embedded store recorded into run after run', () => {
  it('writes only the lifecycle rows that changed, in place: the table does not grow by a copy per run', async () => {
    const store = await openStore({ engine: 'pglite', dir: path.join(scratch, 'in-place') }, { pid: process.pid })
    try {
      await store.recordRun(run(1, 400))
      await store.recordRun(run(2, 400))
      const afterTwo = await relationBytes(store, 'finding_lifecycle')
      // Ten more runs, in each of which 40 of the 400 findings moved to another line.
      for (let i = 3; i <= 12; i++) await store.recordRun(run(i, 400, 40))
      // The moved rows were rewritten each run; with room on their page the new version stays
      // there (a HOT update) and the old one is pruned, so the table keeps its size.
      expect(await relationBytes(store, 'finding_lifecycle')).toBeLessThanOrEqual(afterTwo * 1.5)
      const [open] = await store.client.query<{ n: number; moved: number; written: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE line = 112)::int AS moved,
           count(*) FILTER (WHERE last_seen_run = 12)::int AS written FROM finding_lifecycle WHERE fixed_at IS NULL`,
      )
      // The 360 that did not change were not written at all: the ref's head says when they were seen.
      expect({ n: Number(open?.n), moved: Number(open?.moved), written: Number(open?.written) }).toEqual({
        n: 400,
        moved: 40,
        written: 40,
      })
      const heads = await store.client.query<{ run: number }>('SELECT run_id::int AS run FROM ref_heads')
      expect(heads.map((h) => Number(h.run))).toEqual([12])
    } finally {
      await store.close()
    }
  })

  it(`analyses the store after every ${MAINTAIN_EVERY_RUNS} runs, so the planner has statistics`, async () => {
    const store = await openStore({ engine: 'pglite', dir: path.join(scratch, 'analysed') }, { pid: process.pid })
    try {
      for (let i = 1; i < MAINTAIN_EVERY_RUNS; i++) await store.recordRun(run(i, 30))
      expect(await estimatedRows(store, 'findings')).toBe(-1) // never analysed
      await store.recordRun(run(MAINTAIN_EVERY_RUNS, 30))
      expect(await estimatedRows(store, 'findings')).toBe(30 * MAINTAIN_EVERY_RUNS)
      expect(await estimatedRows(store, 'finding_lifecycle')).toBe(30)
    } finally {
      await store.close()
    }
  })
})
