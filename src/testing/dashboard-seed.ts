import type { FindingRecord, RunRecord, Store } from '../store/index.js'

// Test data of the dashboard tests: two repositories, three weeks of runs, admission
// decisions, commits and deployments. Only tests import this file.
const finding = (fingerprint: string, over: Partial<FindingRecord>): FindingRecord => ({
  fingerprint,
  policy: 'disallow-privileged-containers',
  severity: 'high',
  action: 'deny',
  status: 'fail',
  message: `Container "app" of ${fingerprint} is privileged`,
  environment: 'production',
  kind: 'Deployment',
  namespace: 'shop',
  name: fingerprint,
  file: `clusters/production/${fingerprint}.yaml`,
  line: 12,
  ...over,
})
const run = (repo: string, day: string, commit: string, findings: FindingRecord[]): RunRecord => ({
  meta: {
    repo,
    ref: 'main',
    commit,
    startedAt: new Date(`${day}T09:00:00Z`),
    durationMs: 100,
    toolVersion: '0.1.0',
    policyDigest: 'sha256:x',
    environments: ['production', 'staging'],
    source: 'scan',
  },
  findings,
  policyActions: [
    { policy: 'disallow-privileged-containers', environment: 'production', action: 'deny' },
    { policy: 'require-resource-limits', environment: 'production', action: 'warn' },
    { policy: 'require-resource-limits', environment: 'staging', action: 'warn' },
    { policy: 'disallow-latest-tag', environment: 'staging', action: 'warn' },
  ],
})

/** Fill a store; `now` is 2026-03-20. */
export async function seedDashboardStore(store: Store): Promise<void> {
  const apps = 'github.com/acme/apps'
  const infra = 'gitlab.example/platform/infra'
  const limits = (name: string, env = 'staging'): FindingRecord =>
    finding(name, {
      policy: 'require-resource-limits',
      severity: 'medium',
      action: 'warn',
      environment: env,
      message: `Container "app" of ${name} has no limits`,
    })
  await store.recordRun(
    run(apps, '2026-03-02', 'a'.repeat(40), [
      finding('web', {}),
      finding('api', { severity: 'critical' }),
      limits('web'),
    ]),
  )
  await store.recordRun(
    run(apps, '2026-03-09', 'b'.repeat(40), [
      finding('api', { severity: 'critical' }),
      limits('web'),
      limits('worker'),
    ]),
  )
  await store.recordRun(
    run(apps, '2026-03-16', 'c'.repeat(40), [
      finding('api', { severity: 'critical' }),
      limits('worker'),
      finding('cron', {
        severity: 'low',
        policy: 'disallow-latest-tag',
        action: 'warn',
        environment: 'staging',
        waiver: { source: 'config', reason: 'migrating', owner: 'team-a', expires: '2026-03-28' },
      }),
    ]),
  )
  await store.recordRun(
    run(infra, '2026-03-10', 'd'.repeat(40), [
      limits('ingress', 'production'),
      finding('dns', { severity: 'medium', environment: 'production' }),
    ]),
  )
  await store.recordCommits([
    {
      repo: apps,
      sha: 'a'.repeat(40),
      committedAt: new Date('2026-03-02T08:00:00Z'),
      author: 'Ann <ann@acme.test>',
      signer: 'ann@acme.test',
      signed: true,
      verdict: 'verified',
    },
    {
      repo: apps,
      sha: 'b'.repeat(40),
      committedAt: new Date('2026-03-09T08:00:00Z'),
      author: 'Bob <bob@acme.test>',
      signed: false,
      verdict: 'unsigned',
    },
    {
      repo: apps,
      sha: 'c'.repeat(40),
      committedAt: new Date('2026-03-16T08:00:00Z'),
      author: 'Ann <ann@acme.test>',
      signer: 'ann@acme.test',
      signed: true,
      verdict: 'verified',
    },
  ])
  await store.recordDeployments([
    {
      repo: apps,
      environment: 'production',
      sha: 'a'.repeat(40),
      authoredAt: new Date('2026-03-01T08:00:00Z'),
      deployedAt: new Date('2026-03-02T08:00:00Z'),
    },
    {
      repo: apps,
      environment: 'production',
      sha: 'c'.repeat(40),
      authoredAt: new Date('2026-03-16T06:00:00Z'),
      deployedAt: new Date('2026-03-16T08:00:00Z'),
      revertedBy: 'e'.repeat(40),
      restoredAt: new Date('2026-03-16T10:00:00Z'),
    },
  ])
  const decision = {
    policy: 'disallow-privileged-containers',
    environment: 'production',
    namespace: 'shop',
    kind: 'Pod',
    name: 'debug',
    operation: 'CREATE',
    username: 'dev@acme.test',
    message: 'Container "debug" is privileged',
  }
  await store.recordAdmission(
    [
      { ...decision, at: new Date('2026-03-18T10:00:00Z'), action: 'deny', denied: true },
      { ...decision, at: new Date('2026-03-19T10:00:00Z'), action: 'deny', denied: true },
      {
        ...decision,
        at: new Date('2026-03-19T11:00:00Z'),
        policy: 'require-resource-limits',
        action: 'warn',
        denied: false,
      },
    ],
    { days: 90, now: new Date('2026-03-20T00:00:00Z') },
  )
}
