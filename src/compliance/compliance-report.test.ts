import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTROLS } from '../core/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { openStore, type Store } from '../store/index.js'
import { runInProcess } from '../cli/in-process.test-support.js'
import { MONTH, recordMonth } from './testing/month-of-runs.js'
import {
  complianceReport,
  policySetRecord,
  renderHtml,
  renderMarkdown,
  REPORT_FRAMEWORKS,
  type ComplianceReport,
} from './index.js'

const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-compliance-'))
const dir = path.join(scratch, 'store')
let store: Store
const period = { since: new Date(`${MONTH.since}T00:00:00Z`), until: new Date('2026-04-01T00:00:00Z') }
const now = new Date('2026-04-02T00:00:00Z')

beforeAll(async () => {
  store = await openStore({ engine: 'pglite', dir }, { pid: process.pid })
  await recordMonth(store)
}, 120_000)
afterAll(async () => {
  await store?.close()
  rmSync(scratch, { recursive: true, force: true })
})

const report = (framework: (typeof REPORT_FRAMEWORKS)[number]): Promise<ComplianceReport> =>
  complianceReport(store.client, {
    framework,
    policies: BUILTIN_POLICIES,
    policyDigest: policySetRecord(BUILTIN_POLICIES).digest,
    period,
    now,
  })

describe('compliance report over a recorded month', () => {
  for (const framework of REPORT_FRAMEWORKS) {
    it(`${framework}: every control of the catalogue appears, mapped ones with their policies and the store's counts`, async () => {
      const r = await report(framework)
      expect(r.controls.map((c) => c.id)).toEqual(CONTROLS.filter((c) => c.framework === framework).map((c) => c.id))
      const [runs] = await store.client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM runs WHERE started_at >= $1 AND started_at < $2',
        [period.since, period.until],
      )
      expect(r.runs.runs).toBe(Number(runs!.n))
      expect(r.runs.runs).toBe(MONTH.runDays)
      expect(r.gaps).toEqual([MONTH.gap])
      expect(r.runs.commits).toEqual(MONTH.commits)
      expect(r.runs.signers).toEqual([
        { signer: 'alice@acme.test', commits: 2 },
        { signer: '(unsigned)', commits: 1 },
      ])
      for (const c of r.controls) {
        const mapped = BUILTIN_POLICIES.filter((p) =>
          p.controls.some((ref) => ref.framework === framework && ref.control === c.id),
        ).map((p) => p.id)
        expect(c.policies.map((p) => p.id)).toEqual(mapped)
        if (mapped.length === 0) expect(c.status).toBe('not-covered')
        for (const p of c.policies) {
          expect(p.runs, `${c.id} ${p.id}`).toBe(MONTH.runDays)
          const expected =
            p.id === MONTH.fixedPolicy
              ? { opened: 1, fixed: 1, openNow: 0 }
              : p.id === MONTH.openPolicy || p.id === MONTH.waivedPolicy
                ? { opened: 1, fixed: 0, openNow: 1 }
                : { opened: 0, fixed: 0, openNow: 0 }
          expect({ opened: p.opened, fixed: p.fixed, openNow: p.openNow }, `${c.id} ${p.id}`).toEqual(expected)
          expect(p.admission).toEqual(
            p.id === MONTH.fixedPolicy ? { denied: 2, warned: 1, audited: 0 } : { denied: 0, warned: 0, audited: 0 },
          )
          expect(p.waivers).toEqual(
            p.id === MONTH.waivedPolicy
              ? [{ reason: MONTH.waiver.reason, owner: MONTH.waiver.owner, expires: MONTH.waiver.expires, findings: 1 }]
              : [],
          )
        }
        if (mapped.length > 0)
          expect(c.status).toBe(c.policies.some((p) => p.openNow > 0) ? 'open-findings' : 'in-force')
      }
      const html = renderHtml(r)
      const markdown = renderMarkdown(r)
      for (const c of r.controls) {
        expect(html).toContain(`data-control="${c.id}"`)
        expect(markdown).toContain(`| ${c.id} |`)
      }
    })
  }

  it('a period with no recorded runs is a gap for every covered control, never passing', async () => {
    const empty = await complianceReport(store.client, {
      framework: 'cis',
      policies: BUILTIN_POLICIES,
      policyDigest: 'd',
      period: { since: new Date('2026-05-01T00:00:00Z'), until: new Date('2026-05-08T00:00:00Z') },
      now,
    })
    expect(empty.summary['in-force'] + empty.summary['open-findings']).toBe(0)
    expect(empty.controls.every((c) => c.status === 'gap' || c.status === 'not-covered')).toBe(true)
    expect(empty.gaps).toEqual([{ from: '2026-05-01', to: '2026-05-07', days: 7 }])
  })

  it('--env keeps only that environment: another environment has no runs, so every covered control is a gap', async () => {
    const prod = await complianceReport(store.client, {
      framework: 'soc2',
      policies: BUILTIN_POLICIES,
      policyDigest: 'd',
      period: { ...period, env: 'production' },
      now,
    })
    expect(prod.runs.runs).toBe(MONTH.runDays)
    expect(prod.controls.flatMap((c) => c.policies).find((p) => p.id === MONTH.waivedPolicy)?.waivers).toHaveLength(1)
    const staging = await complianceReport(store.client, {
      framework: 'soc2',
      policies: BUILTIN_POLICIES,
      policyDigest: 'd',
      period: { ...period, env: 'staging' },
      now,
    })
    expect(staging.runs.runs).toBe(0)
    expect(
      staging.controls
        .flatMap((c) => c.policies)
        .every((p) => p.runs === 0 && p.openNow === 0 && p.waivers.length === 0 && p.admission.denied === 0),
    ).toBe(true)
    expect(staging.summary['in-force'] + staging.summary['open-findings']).toBe(0)
  })

  it('the open count is as of the end of the period: a finding fixed later is still open then', async () => {
    const early = await complianceReport(store.client, {
      framework: 'nist',
      policies: BUILTIN_POLICIES,
      policyDigest: 'd',
      period: { since: period.since, until: new Date('2026-03-04T00:00:00Z') },
      now,
    })
    const fixed = early.controls.flatMap((c) => c.policies).find((p) => p.id === MONTH.fixedPolicy)
    expect(fixed).toMatchObject({ runs: 3, opened: 1, fixed: 0, openNow: 1 })
  })
})

describe('palisade report compliance', () => {
  it('prints the framework in each format; --framework is required', async () => {
    await store.close()
    try {
      for (const format of ['json', 'markdown', 'html']) {
        const run = await runInProcess(
          [
            'report',
            'compliance',
            '--framework',
            'soc2',
            '--since',
            MONTH.since,
            '--until',
            MONTH.until,
            '--format',
            format,
            '--store',
            dir,
          ],
          scratch,
          now,
        )
        expect(run.stderr).toBe('')
        expect(run.code).toBe(0)
        if (format === 'json') expect((JSON.parse(run.stdout) as ComplianceReport).runs.runs).toBe(MONTH.runDays)
        else expect(run.stdout).toContain('SOC 2')
      }
      expect((await runInProcess(['report', 'compliance', '--store', dir], scratch, now)).code).toBe(2)
    } finally {
      store = await openStore({ engine: 'pglite', dir }, { pid: process.pid })
    }
  }, 60_000)
})
