// Child process of kill-writer.test.ts: records one run, then writes a second run inside an
// open transaction, says so, and waits to be killed before it can commit.
import { openStore, type RunRecord } from '../index.js'
import { recordRun } from '../record-run.js'

const [target = '', engine = 'pglite'] = process.argv.slice(2)
const run = (commit: string, findings: number): RunRecord => ({
  meta: {
    repo: 'r',
    ref: 'main',
    commit,
    startedAt: new Date(),
    durationMs: 1,
    toolVersion: 't',
    policyDigest: 'd',
    environments: [],
    source: 'scan',
  },
  findings: Array.from({ length: findings }, (_, i) => ({
    fingerprint: `f${i}`,
    policy: 'p',
    severity: 'high',
    action: 'deny',
    status: 'fail',
    message: 'm',
  })),
  policyActions: [],
})
const store = await openStore(
  engine === 'postgres' ? { engine: 'postgres', url: target } : { engine: 'pglite', dir: target },
  // pglite-worker: the engine in a worker thread, as scan --record runs it.
  { pid: process.pid, inWorker: engine === 'pglite-worker' },
)
await store.recordRun(run('first', 3))
process.stdout.write('committed\n')
await store.client.transaction(async (tx) => {
  await recordRun(tx, run('partial', 5000))
  process.stdout.write('inside\n')
  await new Promise(() => undefined)
})
