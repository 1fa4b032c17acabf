import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MAINTAIN_EVERY_RUNS, openStore, type FindingRecord, type RunRecord, type Store } from './index.js'

// PGlite has no autovacuum: what keeps an embedded store that only ever grows by `scan --record` in shape.
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-maintenance-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const findings = (n: number): FindingRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    fingerprint: `fingerprint-${i}`,
    policy: `policy-${i % 7}`,
    severity: 'high',
    action: 'warn',
    status: 'fail',
    message: `message of finding ${i}`,
    environment: 'production',
    file: `apps/app-${i}.yaml`,
    line: 1 + (i % 40),
  }))
const run = (i: number, n: number): RunRecord => ({
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
  findings: findings(n),
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
  it('updates each open finding in place: the lifecycle table does not grow by a copy per run', async () => {
    const store = await openStore({ engine: 'pglite', dir: path.join(scratch, 'in-place') }, { pid: process.pid })
    try {
      await store.recordRun(run(1, 400))
      await store.recordRun(run(2, 400))
      const afterTwo = await relationBytes(store, 'finding_lifecycle')
      for (let i = 3; i <= 12; i++) await store.recordRun(run(i, 400))
      // Ten more runs each updated last_seen of all 400 rows; without room on the page every
      // update wrote a new row version elsewhere and the table grew by about its size per run.
      expect(await relationBytes(store, 'finding_lifecycle')).toBeLessThanOrEqual(afterTwo * 1.5)
      const [open] = await store.client.query<{ n: number; last: number }>(
        'SELECT count(*)::int AS n, min(last_seen_run)::int AS last FROM finding_lifecycle WHERE fixed_at IS NULL',
      )
      expect({ n: Number(open?.n), last: Number(open?.last) }).toEqual({ n: 400, last: 12 })
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
