import { BUILTIN_POLICIES } from '../../policies/index.js'
import type { FindingRecord, RunRecord, Store } from '../../store/index.js'

/** What the generated month holds, so tests can check the report's counts against it. */
export const MONTH = {
  since: '2026-03-01',
  until: '2026-03-31',
  repo: 'github.com/acme/apps',
  /** No run on these days. */
  gap: { from: '2026-03-10', to: '2026-03-12', days: 3 },
  runDays: 28,
  fixedPolicy: BUILTIN_POLICIES[0]!.id, // found days 1-5, fixed on day 6
  openPolicy: BUILTIN_POLICIES[1]!.id, // found from day 20 on, open at the end
  waivedPolicy: BUILTIN_POLICIES[2]!.id, // found every day, waived
  waiver: { source: 'config' as const, reason: 'legacy batch job', owner: 'alice@acme.test', expires: '2026-06-30' },
  admission: { denied: 2, warned: 1 },
  commits: { total: 3, signed: 2, verified: 2 },
}

const finding = (fingerprint: string, policy: string, waiver?: FindingRecord['waiver']): FindingRecord => ({
  fingerprint,
  policy,
  severity: 'high',
  action: 'deny',
  status: 'fail',
  message: `${policy} found`,
  environment: 'production',
  kind: 'Deployment',
  name: 'web',
  file: 'apps/web.yaml',
  line: 4,
  ...(waiver ? { waiver } : {}),
})

/** Record the month: a daily run with every built-in policy in force (none on the gap days), three findings' lifecycles, admission decisions and commits. */
export async function recordMonth(store: Store): Promise<void> {
  for (let d = 1; d <= 31; d++) {
    const day = `2026-03-${String(d).padStart(2, '0')}`
    if (day >= MONTH.gap.from && day <= MONTH.gap.to) continue
    const findings = [finding('w', MONTH.waivedPolicy, MONTH.waiver)]
    if (d <= 5) findings.push(finding('f', MONTH.fixedPolicy))
    if (d >= 20) findings.push(finding('o', MONTH.openPolicy))
    const run: RunRecord = {
      meta: {
        repo: MONTH.repo,
        ref: 'main',
        commit: `c0ffee${String(d).padStart(2, '0')}`,
        startedAt: new Date(`${day}T09:00:00Z`),
        durationMs: 100,
        toolVersion: '0.1.0',
        policyDigest: 'sha256:test',
        environments: ['production'],
        source: 'scan',
      },
      findings,
      policyActions: BUILTIN_POLICIES.map((p) => ({
        policy: p.id,
        environment: 'production',
        action: 'deny' as const,
      })),
    }
    await store.recordRun(run)
  }
  // One run outside the period, which no figure may count.
  await store.recordRun({
    meta: {
      repo: MONTH.repo,
      ref: 'main',
      commit: 'before',
      startedAt: new Date('2026-02-20T09:00:00Z'),
      durationMs: 1,
      toolVersion: '0.1.0',
      policyDigest: 'sha256:test',
      environments: ['production'],
      source: 'scan',
    },
    findings: [],
    policyActions: BUILTIN_POLICIES.map((p) => ({ policy: p.id, environment: 'production', action: 'deny' as const })),
  })
  const at = new Date('2026-03-15T10:00:00Z')
  const decision = (denied: boolean) => ({
    at,
    policy: MONTH.fixedPolicy,
    action: denied ? ('deny' as const) : ('warn' as const),
    denied,
    environment: 'production',
    namespace: 'web',
    kind: 'Deployment',
    name: 'web',
    operation: 'CREATE',
    username: 'ci',
    message: 'm',
  })
  await store.recordAdmission([decision(true), decision(true), decision(false)], {
    days: 90,
    now: new Date('2026-04-01T00:00:00Z'),
  })
  await store.recordCommits([
    {
      repo: MONTH.repo,
      sha: 'c0ffee01',
      committedAt: new Date('2026-03-01T08:00:00Z'),
      author: 'alice',
      signer: 'alice@acme.test',
      signed: true,
      verdict: 'verified',
    },
    {
      repo: MONTH.repo,
      sha: 'c0ffee02',
      committedAt: new Date('2026-03-02T08:00:00Z'),
      author: 'alice',
      signer: 'alice@acme.test',
      signed: true,
      verdict: 'verified',
    },
    {
      repo: MONTH.repo,
      sha: 'c0ffee03',
      committedAt: new Date('2026-03-03T08:00:00Z'),
      author: 'bob',
      signed: false,
      verdict: 'unsigned',
    },
  ])
}
