import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { captureIo, GitFixture } from '../testing/index.js'
import { main } from './main.js'
import { withStore } from './store-access.js'

// scan --record and palisade.yaml `store:`: a run per scan, the lifecycle across scans of one ref.
const pod = (privileged: boolean): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: shop }\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: { privileged: ${privileged} }\n`

describe('scan --record', () => {
  let fx: GitFixture
  beforeAll(() => {
    fx = new GitFixture()
    fx.git('remote', 'add', 'origin', 'https://user:s3cret@github.com/acme/apps.git')
    fx.write('k8s/pod.yaml', pod(true))
    fx.commit('add web')
  })
  afterAll(() => fx.cleanup())

  it('records each scan under the origin (credentials dropped) and branch, with file paths from the repository top', async () => {
    const store = join(fx.dir, 'findings-store')
    const first = captureIo(join(fx.dir, 'k8s'))
    expect(
      await main(
        ['scan', '.', '--no-render', '--policies', 'disallow-privileged-containers', '--record', '--store', store],
        first,
      ),
    ).toBe(1)
    expect(first.err()).toMatch(
      /recorded run 1 of github\.com\/acme\/apps@main \(1 findings\): 1 new, 0 fixed, 0 reopened/,
    )
    expect(first.err()).not.toContain('s3cret')

    fx.write('k8s/pod.yaml', pod(false))
    // Without --record: palisade.yaml store.record turns recording on, store.path says where.
    // store.path is relative to palisade.yaml's folder and stays inside it.
    fx.write('palisade.yaml', `store:\n  record: true\n  path: findings-store\n`)
    const second = captureIo(fx.dir)
    expect(
      await main(['scan', 'k8s', '--no-render', '--policies', 'disallow-privileged-containers'], second),
      second.err(),
    ).toBe(0)
    expect(second.err()).toMatch(
      /recorded run 2 of github\.com\/acme\/apps@main \(0 findings\): 0 new, 1 fixed, 0 reopened/,
    )

    const rows = await withStore({ engine: 'pglite', dir: store }, async (s) => ({
      findings: await s.client.query<{ file: string; line: number; policy: string }>(
        'SELECT file, line, policy FROM findings',
      ),
      runs: await s.client.query<{ commit_sha: string; tool_version: string; policy_digest: string }>(
        'SELECT commit_sha, tool_version, policy_digest FROM runs ORDER BY id',
      ),
    }))
    expect(rows.findings).toEqual([{ file: 'k8s/pod.yaml', line: 8, policy: 'disallow-privileged-containers' }])
    expect(rows.runs[0]?.commit_sha).toBe(fx.git('rev-parse', 'HEAD').trim())
    expect(rows.runs[0]?.policy_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it('a scan that fails closes the store it opened early: no run, no lock left', async () => {
    const store = join(fx.home, 'store-failed')
    const io = captureIo(fx.dir)
    expect(await main(['scan', 'no-such-folder', '--record', '--store', store], io)).toBe(2)
    expect(existsSync(join(store, 'palisade-store.lock'))).toBe(false)
    const runs = await withStore({ engine: 'pglite', dir: store }, (s) =>
      s.client.query<{ n: number }>('SELECT count(*)::int AS n FROM runs'),
    )
    expect(Number(runs[0]?.n)).toBe(0)
  })
})
