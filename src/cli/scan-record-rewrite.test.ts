import { describe, expect, it } from 'vitest'
import { main } from './main.js'
import type { GitFixture } from '../testing/index.js'
import { captureIo } from '../testing/index.js'
import { ARGS, CONFIG, pod, storeEngines } from './store-engines.test-support.js'

// A force-pushed ref's latest run (src/app/ref-rewrite.ts, docs/store.md "The latest run of a
// ref"): when Git knows the head's commit and it is on neither side of the new one, the ref
// was rewritten and the new run is its latest, however short the new history.
const { engines, fixture } = storeEngines('rewrite')

/** main with three commits, each with a privileged pod; answers the first commit's id. */
function repository(): { fx: GitFixture; first: string } {
  const fx = fixture()
  fx.write('palisade.yaml', CONFIG)
  fx.write('clusters/production/pod.yaml', pod(true))
  const first = fx.commit('one')
  fx.write('clusters/production/README', 'two')
  fx.commit('two')
  fx.write('clusters/production/README', 'three')
  fx.commit('three')
  return { fx, first }
}
/** Force-push to a shorter history: back to the first commit, then one commit that fixes the pod. */
function rewrite(fx: GitFixture, first: string): string {
  fx.git('reset', '-q', '--hard', first)
  fx.write('clusters/production/pod.yaml', pod(false))
  return fx.commit('squashed fix')
}
async function cli(fx: GitFixture, day: string, args: string[]): Promise<{ out: string; err: string }> {
  const io = captureIo(fx.dir, {}, new Date(`2026-03-${day}T00:00:00Z`))
  // A scan that finds the privileged pod exits 1: the run is recorded all the same.
  expect([0, 1], io.err()).toContain(await main(args, io))
  return { out: io.out(), err: io.err() }
}
const record = (fx: GitFixture, day: string, store: string): Promise<{ err: string }> =>
  cli(fx, day, ['scan', '--record', ...ARGS, '--store', store])
async function openTotal(fx: GitFixture, store: string): Promise<number> {
  const { out } = await cli(fx, '20', ['stats', '--since', '2026-01-01', '--format', 'json', '--store', store])
  return JSON.parse(out).open.total
}

for (const engine of engines) {
  describe.skipIf(engine.skip)(
    `scan --record after a force-push on ${engine.name}${engine.skip ? ' (skipped: PostgreSQL is not installed)' : ''}`,
    () => {
      it('makes the first run of a shorter rewritten history the latest; a re-run of its older commit is not', async () => {
        const { fx, first } = repository()
        const store = await engine.store()
        await record(fx, '05', store)
        expect(await openTotal(fx, store)).toBe(1)
        rewrite(fx, first)
        // Position 2 after a head at position 3: only Git's answer makes it the latest.
        const rewritten = await record(fx, '06', store)
        expect(rewritten.err).toMatch(/1 fixed.*the ref was rewritten: its previous latest commit [0-9a-f]{12}/)
        expect(await openTotal(fx, store)).toBe(0)
        // The first commit is an ancestor of the new head: a re-run of it is kept, not the latest.
        fx.git('checkout', '-q', '-B', 'main', first)
        const rerun = await record(fx, '07', store)
        expect(rerun.err).toMatch(/not the latest run of this ref/)
        expect(rerun.err).not.toMatch(/rewritten/)
        expect(await openTotal(fx, store)).toBe(0)
      })

      it('keeps the position rule, and says why, when the old head commit is not in the clone', async () => {
        const { fx, first } = repository()
        const store = await engine.store()
        await record(fx, '05', store)
        rewrite(fx, first)
        // The old head is gone from this clone, as after a prune or in a fresh shallow clone.
        fx.git('reflog', 'expire', '--expire=now', '--all')
        fx.git('gc', '-q', '--prune=now')
        const after = await record(fx, '06', store)
        expect(after.err).toMatch(/not the latest run of this ref/)
        expect(after.err).toMatch(/latest recorded commit [0-9a-f]{12} is not in this clone/)
        expect(await openTotal(fx, store)).toBe(1)
      })
    },
  )
}
