import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { main } from './main.js'
import type { GitFixture } from '../testing/index.js'
import { captureIo } from '../testing/index.js'
import { ARGS, CONFIG, pod, storeEngines } from './store-engines.test-support.js'

// The latest run of a ref is its furthest commit along the first-parent history
// (src/store/ref-heads.ts), however the commits are dated and whenever they are recorded.
const { engines, fixture } = storeEngines('latest')

/** A repository whose commits make the pod privileged or not, each at its committer date. */
function repository(commits: readonly [privileged: boolean, iso: string][]): GitFixture {
  const fx = fixture()
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
