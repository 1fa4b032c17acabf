/**
 * `npm run bench:store` (issue 16):
 * 1. recording a 20,000-resource scan (the corpus of `npm run bench`) adds at most 25% to
 *    the scan's wall time: the CLI end to end, with and without --record into an existing
 *    embedded store, alternated, median of --runs (default 3);
 * 2. a year of history for 50 repositories (weekly runs with churn, generated, recorded
 *    through the store's own recordRun) answers `stats` in under a second, and every
 *    dashboard page loads in under a second: on PGlite, and on PostgreSQL when
 *    PALISADE_BENCH_PG_URL names an empty database.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeCorpus } from './corpus.js'
import { computeStats, openStore, type FindingRecord, type Store, type StoreLocation } from '../../src/store/index.js'
import { startDashboard } from '../../src/dashboard/index.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const work = join(root, '.bench', 'store')
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const failures: string[] = []
mkdirSync(work, { recursive: true })

// 1. Recording overhead.
const corpus = join(root, '.bench', 'corpus')
const generated = writeCorpus(corpus, 2000, 42)
const scanStore = join(work, 'scan-store')
rmSync(scanStore, { recursive: true, force: true })
const cli = (extra: string[]): { ms: number; err: string } => {
  const t0 = process.hrtime.bigint()
  const child = spawnSync(process.execPath, [join(root, 'bin/palisade.js'), 'scan', corpus, '--no-render', '--format', 'json', '--output', join(work, 'scan.json'), ...extra], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1' } })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (child.status !== 0 && child.status !== 1) throw new Error(`scan failed (${child.status}): ${child.stderr}`)
  return { ms, err: child.stderr }
}
// The first --record creates the store (initdb, once per store, not per run): not measured.
console.log(`corpus: ${generated.resources} resources in ${generated.files} files; creating the store: ${cli(['--record', '--store', scanStore]).ms.toFixed(0)} ms (once)`)
const plain: number[] = []
const recorded: number[] = []
let findings = ''
for (let i = 0; i < runs; i++) {
  plain.push(cli([]).ms)
  const r = cli(['--record', '--store', scanStore])
  recorded.push(r.ms)
  findings = /\((\d+) findings\)/.exec(r.err)?.[1] ?? '?'
}
const overhead = median(recorded) / median(plain) - 1
console.log(`scan: ${median(plain).toFixed(0)} ms; scan --record (${findings} findings): ${median(recorded).toFixed(0)} ms; overhead ${(overhead * 100).toFixed(1)}% (median of ${runs}, limit 25%)`)
if (overhead > 0.25) failures.push(`recording adds ${(overhead * 100).toFixed(1)}% (> 25%)`)

// 2. A year of 50 repositories.
const NOW = new Date('2026-12-01T00:00:00Z')
const POLICIES = ['disallow-privileged-containers', 'require-resource-limits', 'disallow-latest-tag', 'require-run-as-non-root', 'disallow-host-path-volumes', 'require-probes']
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const
const ENVS = ['production', 'staging', 'dev']
/** Deterministic generator (mulberry32). */
const random = (seed: number): (() => number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
async function fillYear(store: Store): Promise<number> {
  const rand = random(7)
  let rows = 0
  for (let r = 0; r < 50; r++) {
    const repo = `github.com/acme/service-${r}`
    let open = new Map<number, FindingRecord>()
    let next = 0
    for (let week = 52; week >= 0; week--) {
      // Churn: a tenth fixed each week, a few new ones; about 150 open per repository.
      open = new Map([...open].filter(() => rand() > 0.1))
      const add = week === 52 ? 150 : Math.floor(rand() * 25)
      for (let i = 0; i < add; i++, next++) {
        const policy = POLICIES[next % POLICIES.length] as string
        open.set(next, { fingerprint: `fp-${r}-${next}`, policy, severity: SEVERITIES[next % 4] as FindingRecord['severity'], action: next % 3 === 0 ? 'deny' : 'warn', status: 'fail', message: `finding ${next}`, environment: ENVS[next % 3] as string, kind: 'Deployment', namespace: 'apps', name: `app-${next}`, file: `clusters/${ENVS[next % 3]}/app-${next}.yaml`, line: 10 + (next % 40), ...(next % 50 === 0 ? { waiver: { source: 'config' as const, reason: 'legacy', owner: 'team', expires: '2026-12-10' } } : {}) })
      }
      const at = new Date(NOW.getTime() - week * 7 * 86_400_000)
      await store.recordRun({ meta: { repo, ref: 'main', commit: `${r}-${week}`, startedAt: at, durationMs: 1000, toolVersion: 'bench', policyDigest: 'd', environments: ENVS, source: 'history' }, findings: [...open.values()], policyActions: POLICIES.flatMap((p) => ENVS.map((environment) => ({ policy: p, environment, action: environment === 'production' ? ('deny' as const) : ('warn' as const) }))) })
      rows += open.size
      await store.recordCommits([{ repo, sha: `${r}-${week}`, committedAt: at, signed: rand() > 0.3, verdict: 'signed' }])
      await store.recordDeployments([{ repo, environment: ENVS[week % 3] as string, sha: `${r}-${week}`, authoredAt: new Date(at.getTime() - rand() * 86_400_000), deployedAt: at }])
    }
    const minute = new Date(NOW.getTime() - (r % 30) * 86_400_000)
    await store.recordAdmission(Array.from({ length: 200 }, (_, i) => ({ at: new Date(minute.getTime() + i * 60_000), policy: POLICIES[i % 6] as string, action: i % 4 === 0 ? 'deny' as const : 'warn' as const, denied: i % 4 === 0, environment: 'production', namespace: `ns-${i % 7}`, message: 'm' })), { days: 365, now: NOW })
  }
  return rows
}
async function measure(name: string, location: StoreLocation): Promise<void> {
  const store = await openStore(location, { pid: process.pid })
  try {
    const [existing] = await store.client.query<{ n: number }>('SELECT count(*)::int AS n FROM runs')
    if (Number(existing?.n) === 0) {
      const t0 = performance.now()
      const rows = await fillYear(store)
      console.log(`${name}: generated 50 repositories x 53 weekly runs (${rows} finding rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    }
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      await computeStats(store.client, { since: new Date(NOW.getTime() - 365 * 86_400_000), now: NOW, readyAfterDays: 14, expiringWithinDays: 14 })
      times.push(performance.now() - t0)
    }
    console.log(`${name}: stats over a year of 50 repositories: ${median(times).toFixed(0)} ms (median of 5, limit 1000 ms)`)
    if (median(times) > 1000) failures.push(`${name} stats take ${median(times).toFixed(0)} ms`)
    const dashboard = await startDashboard({ db: store.client, host: '127.0.0.1', port: 0, sinceDays: 365, readyAfterDays: 14, now: () => NOW, onError: (e) => console.error(e) })
    try {
      for (const page of ['/', '/findings', '/findings?severity=critical&environment=production', '/rollout', '/admission', '/commits', '/waivers']) {
        const pageTimes: number[] = []
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now()
          const res = await fetch(new URL(page, dashboard.url))
          await res.text()
          if (res.status !== 200) throw new Error(`${page}: ${res.status}`)
          pageTimes.push(performance.now() - t0)
        }
        console.log(`${name}: dashboard ${page}: ${median(pageTimes).toFixed(0)} ms`)
        if (median(pageTimes) > 1000) failures.push(`${name} dashboard ${page} takes ${median(pageTimes).toFixed(0)} ms`)
      }
    } finally {
      await dashboard.close()
    }
  } finally {
    await store.close()
  }
}
const yearDir = join(work, 'year-pglite')
if (process.argv.includes('--fresh') && existsSync(yearDir)) rmSync(yearDir, { recursive: true, force: true })
await measure('pglite', { engine: 'pglite', dir: yearDir })
if (process.env.PALISADE_BENCH_PG_URL) await measure('postgres', { engine: 'postgres', url: process.env.PALISADE_BENCH_PG_URL })
else console.log('postgres: skipped (set PALISADE_BENCH_PG_URL to an empty database to measure it)')

if (failures.length > 0) {
  console.error(`FAIL: ${failures.join('; ')}`)
  process.exitCode = 1
} else console.log('OK: within the limits of issue 16')
