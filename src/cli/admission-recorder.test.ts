import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DecisionRecord } from '../server/index.js'
import type { Store, StoreLocation } from '../store/index.js'
import { AdmissionRecorder, admissionDecisions } from './admission-recorder.js'
import { withStore } from './store-access.js'

const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-admission-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))
const record = (over: Partial<DecisionRecord>): DecisionRecord => ({
  time: '2026-03-19T10:00:05.000Z',
  uid: 'u1',
  webhook: 'validate',
  operation: 'CREATE',
  dryRun: false,
  enforced: true,
  kind: 'Pod',
  namespace: 'shop',
  name: 'web',
  user: 'dev',
  environment: 'production',
  generation: 1,
  allowed: false,
  findings: [
    {
      policy: 'disallow-privileged-containers',
      action: 'deny',
      status: 'fail',
      path: '/spec/containers/0/securityContext/privileged',
      severity: 'high',
    },
    {
      policy: 'require-resource-limits',
      action: 'warn',
      status: 'fail',
      path: '/spec/containers/0',
      severity: 'medium',
    },
    { policy: 'disallow-host-ports', action: 'deny', status: 'fail', path: '/spec', severity: 'high', waived: true },
  ],
  ...over,
})

describe('serve --record', () => {
  it('turns a decision into one entry per unwaived finding; only enforced deny findings of refused requests are denials', () => {
    const d = admissionDecisions(record({}))
    expect(d.map((x) => [x.policy, x.action, x.denied])).toEqual([
      ['disallow-privileged-containers', 'deny', true],
      ['require-resource-limits', 'warn', false],
    ])
    expect(admissionDecisions(record({ dryRun: true, enforced: false })).some((x) => x.denied)).toBe(false)
  })

  it('flushes buffered decisions into the store, and keeps them for the next flush when the store fails', async () => {
    const location: StoreLocation = { engine: 'pglite', dir: path.join(scratch, 'store') }
    const errors: unknown[] = []
    let fail = true
    const open = async (l: StoreLocation, fn: (s: Store) => Promise<void>): Promise<void> => {
      if (fail) throw new Error('store down')
      await withStore(l, fn)
    }
    const recorder = new AdmissionRecorder(location, {
      intervalMs: 60_000,
      retentionDays: 90,
      now: () => new Date('2026-03-20T00:00:00Z'),
      onError: (e) => errors.push(e),
      maxBuffered: 1000,
      open,
    })
    recorder.add(record({}))
    await recorder.flush()
    expect(errors).toHaveLength(1)
    fail = false
    recorder.add(record({ uid: 'u2', time: '2026-03-19T10:00:40.000Z' }))
    await recorder.stop()
    const rows = await withStore(location, async (s) => ({
      minutes: await s.client.query<{ policy: string; action: string; count: number }>(
        'SELECT policy, action, count FROM admission_minutes ORDER BY policy',
      ),
      denials: await s.client.query<{ uid: string }>('SELECT uid FROM admission_denials ORDER BY uid'),
    }))
    expect(rows.minutes.map((m) => [m.policy, m.action, Number(m.count)])).toEqual([
      ['disallow-privileged-containers', 'deny', 2],
      ['require-resource-limits', 'warn', 2],
    ])
    expect(rows.denials.map((r) => r.uid)).toEqual(['u1', 'u2'])
  })
})
