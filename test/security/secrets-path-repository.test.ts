import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { gitCommitAll, gitInit, hostileTree } from './hostile-tree.js'

// A GitHub token shape: ghp_ and 36 characters (split so this file holds no literal token).
const TOKEN = `ghp_${'Zq8Lm3Vx9Tb2Nc7Kd4Rf'}6Hj1Wp5Ys0Ae8Gu3`

// `palisade secrets PATH` checks PATH in the repository that holds it, wherever it is run from.
describe('palisade secrets resolves each path on its own', () => {
  let tree: ReturnType<typeof hostileTree>
  beforeEach(() => {
    tree = hostileTree('secrets-path')
    tree.write('elsewhere/README.md', 'the working directory is another repository\n')
    gitInit(join(tree.dir, 'elsewhere'))
    gitCommitAll(join(tree.dir, 'elsewhere'))
  })
  afterEach(() => tree.cleanup())

  it('finds the secret of a folder in another Git repository than the working one', async () => {
    tree.write('target/config.env', `GITHUB_TOKEN=${TOKEN}\n`)
    gitInit(join(tree.dir, 'target'))
    gitCommitAll(join(tree.dir, 'target'))
    const run = await runInProcess(
      ['secrets', join(tree.dir, 'target'), '--format', 'json'],
      join(tree.dir, 'elsewhere'),
    )
    expect(run.code).toBe(1)
    const out = JSON.parse(run.stdout) as { summary: { files: number }; findings: { file: string }[] }
    expect(out.findings.map((f) => f.file)).toEqual([join(tree.dir, 'target/config.env')])
  })

  it('scans a folder outside any Git repository as plain files, from inside a repository', async () => {
    tree.write('plain/config.env', `GITHUB_TOKEN=${TOKEN}\n`)
    const run = await runInProcess(['secrets', '../plain', '--format', 'json'], join(tree.dir, 'elsewhere'))
    expect(run.code).toBe(1)
    const out = JSON.parse(run.stdout) as { findings: { file: string }[] }
    expect(out.findings.map((f) => f.file)).toEqual([join(tree.dir, 'plain/config.env')])
  })

  it('a path that does not exist is a usage error (exit 2), not a clean pass', async () => {
    const run = await runInProcess(['secrets', join(tree.dir, 'nonexistent')], join(tree.dir, 'elsewhere'))
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('nonexistent')
  })
})
