import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { main } from './main.js'
import { captureIo, GitFixture } from '../testing/index.js'
import { createDatabase, hasPostgres, startPostgres, type PostgresServer } from '../testing/postgres-server.js'

// The latest run of a ref is its furthest commit along the first-parent history
// (src/store/ref-heads.ts), however the commits are dated and whenever they are recorded.
const pod = (privileged: boolean): string => `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: { privileged: ${privileged} }
`
const CONFIG = 'environments:\n  - name: production\n    paths: ["clusters/production/**"]\n'
const ARGS = ['--no-render', '--policies', 'disallow-privileged-containers']

let pg: PostgresServer | undefined
const fixtures: GitFixture[] = []
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-latest-cli-'))
beforeAll(async () => {
  if (hasPostgres()) pg = await startPostgres()
})
afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()))
afterAll(async () => {
  await pg?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

/** A repository whose commits make the pod privileged or not, each at its committer date. */
function repository(commits: readonly [privileged: boolean, iso: string][]): GitFixture {
  const fx = new GitFixture()
  fixtures.push(fx)
  fx.write('palisade.yaml', CONFIG)
  for (const [privileged, iso] of commits) {
    fx.write('clusters/production/pod.yaml', pod(privileged))
    fx.git('add', '-A')
    execFileSync('git', ['commit', '-q', '-m', `privileged: ${privileged}`], {
      cwd: fx.dir,
      env: { ...fx.env, GIT_AUTHOR_DATE: iso, GIT_COMMITTER_DATE: iso },
    })
  }
  return fx
}
async function cli(fx: GitFixture, now: string, args: string[]): Promise<string> {
  const io = captureIo(fx.dir, {}, new Date(now))
  expect(await main(args, io), io.err()).toBe(0)
  return io.out()
}
async function openTotal(fx: GitFixture, store: string): Promise<number> {
  const out = await cli(fx, '2026-03-20T00:00:00Z', [
    'stats',
    '--since',
    '2026-01-01',
    '--format',
    'json',
    '--store',
    store,
  ])
  return JSON.parse(out).open.total
}

let n = 0
const engines = [
  { name: 'pglite', skip: false, store: async () => path.join(scratch, `pglite-${++n}`) },
  { name: 'postgres', skip: !hasPostgres(), store: async () => createDatabase(pg as PostgresServer, `latest${++n}`) },
]

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `the latest run of a ref, end to end, on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      it('history import follows a back-dated tip: the finding it brings back is open', async () => {
        const fx = repository([
          [true, '2026-03-02T10:00:00Z'],
          [false, '2026-03-04T10:00:00Z'],
          [true, '2026-03-01T10:00:00Z'],
        ])
        const store = await engine.store()
        await cli(fx, '2026-03-10T00:00:00Z', ['history', 'import', ...ARGS, '--store', store])
        expect(await openTotal(fx, store)).toBe(1)
      })

      it('history import after a live scan keeps the scan as the latest, even for a commit dated after it', async () => {
        // The first commit claims a date after both clocks: the import records it at its own time.
        const fx = repository([
          [true, '2026-04-01T10:00:00Z'],
          [false, '2026-03-03T10:00:00Z'],
        ])
        const store = await engine.store()
        await cli(fx, '2026-03-10T00:00:00Z', ['scan', '--record', ...ARGS, '--store', store])
        expect(await openTotal(fx, store)).toBe(0)
        await cli(fx, '2026-03-11T00:00:00Z', ['history', 'import', ...ARGS, '--store', store])
        expect(await openTotal(fx, store)).toBe(0)
      })
    },
  )
}
