import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from './main.js'
import { captureIo, GitFixture } from '../testing/index.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// Acceptance (issue 16): two commits, a finding fixed between them; after `history import`,
// `stats` shows one fixed with its time to fix, on PGlite and on PostgreSQL alike.
const pod = (privileged: boolean): string => `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: { privileged: ${privileged} }
`
const CONFIG = `environments:
  - name: production
    paths: ["clusters/production/**"]
`

let fx: GitFixture
let pg: PostgresServer | undefined
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-history-test-'))
const commitAt = (message: string, iso: string): string => {
  fx.git('add', '-A')
  execFileSync('git', ['commit', '-q', '-m', message], {
    cwd: fx.dir,
    env: { ...fx.env, GIT_AUTHOR_DATE: iso, GIT_COMMITTER_DATE: iso },
  })
  return fx.git('rev-parse', 'HEAD').trim()
}

beforeAll(async () => {
  fx = new GitFixture()
  fx.write('palisade.yaml', CONFIG)
  fx.write('clusters/production/pod.yaml', pod(true))
  commitAt('add web', '2026-03-02T10:00:00Z')
  fx.write('clusters/production/pod.yaml', pod(false))
  commitAt('web: not privileged', '2026-03-04T16:00:00Z')
  if (hasPostgres()) pg = await startPostgres()
})
afterAll(async () => {
  fx.cleanup()
  await pg?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

const engines = [
  { name: 'pglite', skip: false, store: async () => path.join(scratch, 'pglite') },
  { name: 'postgres', skip: !hasPostgres(), store: async () => createDatabase(pg as PostgresServer, 'history') },
]

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `history import then stats on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      it('shows the fixed finding with its time to fix, and skips commits already recorded', async () => {
        const store = await engine.store()
        const now = new Date('2026-03-10T00:00:00Z')
        const args = ['--store', store, '--no-render', '--policies', 'disallow-privileged-containers']
        const imported = captureIo(fx.dir, {}, now)
        expect(await main(['history', 'import', ...args], imported), imported.err()).toBe(0)
        expect(imported.out()).toMatch(
          /^Recorded 2 of 2 commits of repo@main \(0 already recorded\); 2 deployments\.$/m,
        )

        const again = captureIo(fx.dir, {}, now)
        expect(await main(['history', 'import', ...args], again), again.err()).toBe(0)
        expect(again.out()).toMatch(/Recorded 0 of 2 commits/)

        const io = captureIo(fx.dir, {}, now)
        expect(await main(['stats', '--since', '2026-01-01', '--format', 'json', '--store', store], io), io.err()).toBe(
          0,
        )
        const stats = JSON.parse(io.out())
        expect(stats.runs).toBe(2)
        expect(stats.open.total).toBe(0)
        expect(stats.timeToFix).toEqual([
          { severity: 'all', fixed: 1, meanHours: 54, p90Hours: 54 },
          { severity: expect.any(String), fixed: 1, meanHours: 54, p90Hours: 54 },
        ])
        expect(stats.weekly).toEqual([{ week: '2026-03-02', opened: 1, fixed: 1 }])
        expect(stats.signed).toEqual({ commits: 2, signed: 0, share: 0 })
        expect(stats.delivery).toEqual([
          {
            environment: 'production',
            deployments: 2,
            perWeek: expect.any(Number),
            leadTimeHours: 0,
            changeFailureRate: 0,
            timeToRestoreHours: null,
          },
        ])

        const text = captureIo(fx.dir, {}, now)
        expect(await main(['stats', '--since', '2026-01-01', '--store', store], text)).toBe(0)
        expect(text.out()).toMatch(/all\s+1 fixed {2}mean 2\.3 d {2}p90 2\.3 d/)
      })
    },
  )
}
