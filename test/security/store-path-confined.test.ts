import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { gitCommitAll, gitInit, hostileTree } from './hostile-tree.js'

// A pull request can bring palisade.yaml, and a CI job that records scans writes the findings
// store wherever `store.path` says. A config-given store path is confined to palisade.yaml's
// folder: an absolute path, a `..` escape or a symlink leading out is a configuration error
// (exit 2) at store.path's line, and nothing is written outside. --store (given by whoever
// runs the job) stays free.

const POD = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\ndata: { a: "1" }\n'

let repo: ReturnType<typeof hostileTree>
let outside: ReturnType<typeof hostileTree>
beforeEach(() => {
  repo = hostileTree('store-path')
  outside = hostileTree('store-outside')
  gitInit(repo.dir)
  repo.write('k8s/cm.yaml', POD)
})
afterEach(() => {
  repo.cleanup()
  outside.cleanup()
})

const scanWith = async (config: string, extra: string[] = []) => {
  repo.write('palisade.yaml', config)
  gitCommitAll(repo.dir)
  return runInProcess(['scan', 'k8s', '--no-render', '--format', 'json', ...extra], repo.dir)
}

describe('palisade.yaml store.path stays inside its folder', () => {
  it('refuses a ".." escape at its line and writes nothing outside', async () => {
    const escape = join(outside.dir, 'store')
    const rel = `../${outside.dir.split('/').pop() as string}/store`
    const run = await scanWith(`# records every scan\nstore:\n  record: true\n  path: ${rel}\n`)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/palisade\.yaml:4:.*store\.path steps out with "\.\."/)
    expect(existsSync(escape)).toBe(false)
  })

  it('refuses an absolute path at its line', async () => {
    const target = join(outside.dir, 'abs-store')
    const run = await scanWith(`store:\n  record: true\n  path: ${target}\n`)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/palisade\.yaml:3:.*store\.path is an absolute path/)
    expect(existsSync(target)).toBe(false)
  })

  it('refuses a folder inside that is a symlink leading out', async () => {
    mkdirSync(join(outside.dir, 'runner'))
    symlinkSync(join(outside.dir, 'runner'), join(repo.dir, 'data'))
    const run = await scanWith(`store:\n  record: true\n  path: data/store\n`)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/palisade\.yaml:3:.*store\.path data\/store leads out through a symlink/)
    expect(existsSync(join(outside.dir, 'runner', 'store'))).toBe(false)
  })

  it('--store given by the job may point anywhere', async () => {
    const chosen = join(outside.dir, 'job-store')
    const run = await scanWith('store:\n  record: true\n', ['--store', chosen])
    expect(run.code, run.stderr).toBe(0)
    expect(existsSync(chosen)).toBe(true)
  })
})
