import { execFileSync } from 'node:child_process'
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readHistory } from '../../src/app/history-git.js'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { openFindings, openStore } from '../../src/store/index.js'
import { gitCommitAll, gitInit, hostileTree, privilegedPod } from './hostile-tree.js'

// `palisade history import` replays a repository's own history: its commit messages, file
// names and refs are written by whoever pushed, and must not forge commits, hide paths or
// reach a git command line as options.

const CONFIG = 'environments:\n  - name: prod\n    paths: ["envs/prod/**"]\n'
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n'

let tree: ReturnType<typeof hostileTree>
let repo: string
beforeEach(() => {
  tree = hostileTree('history')
  repo = join(tree.dir, 'repo')
  tree.write('repo/palisade.yaml', CONFIG)
  tree.write('repo/envs/prod/cm.yaml', CONFIGMAP)
  gitInit(repo)
  gitCommitAll(repo, 'first')
})
afterEach(() => tree.cleanup())

const commitWith = (message: string): void => {
  writeFileSync(join(tree.dir, 'message.txt'), message)
  execFileSync('git', ['add', '-A'], { cwd: repo })
  execFileSync('git', ['commit', '-q', '--allow-empty', '-F', join(tree.dir, 'message.txt')], { cwd: repo })
}
const head = (): string => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim()

describe('history import on a hostile history', () => {
  it('a commit message with the record separator and a fake hash does not forge a commit or steal its files', async () => {
    const fake = 'f'.repeat(40)
    // git refuses NUL in a message; the separator git log used between commits is enough.
    const forged = `innocent\n\x1e${fake}\n`
    tree.write('repo/envs/prod/two.yaml', CONFIGMAP)
    commitWith(forged)
    const commits = await readHistory(repo, 'HEAD', undefined)
    expect(commits.map((c) => c.sha)).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/), head()])
    expect(commits[1]?.message).toBe(forged)
    expect(commits[1]?.paths).toEqual(['envs/prod/two.yaml'])
    expect(commits[1]?.signed).toBe(false)
  })

  it('file names with quotes, tabs, newlines and backslashes come back as they are (so environments match)', async () => {
    const names = [
      'envs/prod/a"b.yaml',
      'envs/prod/tab\there.yaml',
      'envs/prod/new\nline.yaml',
      'envs/prod/back\\slash.yaml',
    ]
    for (const name of names) tree.write(`repo/${name}`, CONFIGMAP)
    commitWith('odd names')
    const commits = await readHistory(repo, 'HEAD', undefined)
    expect([...(commits[1]?.paths ?? [])].sort()).toEqual([...names].sort())
  })

  it('the import goes through a forged-looking message and counts the deployment of an oddly named file', async () => {
    tree.write('repo/envs/prod/tab\there.yaml', CONFIGMAP)
    commitWith(`deploy\n\x1e${'0'.repeat(40)}\n`)
    const run = await runInProcess(['history', 'import', '--store', join(tree.dir, 'store')], repo)
    expect(run.stderr).toMatch(/history 2\/2 /)
    expect(run.stdout).toMatch(/^Recorded 2 of 2 commits .*; 2 deployments\.\n$/)
    expect(run.code).toBe(0)
  })

  it('without environments in palisade.yaml, deployments go to the layout environments scan uses (envs/prod, envs/staging)', async () => {
    rmSync(join(repo, 'palisade.yaml'))
    tree.write('repo/envs/staging/cm.yaml', CONFIGMAP)
    commitWith('staging and no configuration')
    const run = await runInProcess(['history', 'import', '--store', join(tree.dir, 'store')], repo)
    expect(run.stdout).toMatch(/; 2 deployments\.\n$/)
  })

  it('a committed link to a file outside the checkout is not scanned into the store; the inside file is', async () => {
    tree.write('outside/pod.yaml', privilegedPod('outside-pod'))
    tree.write('repo/envs/prod/pod.yaml', privilegedPod('inside-pod'))
    symlinkSync(join(tree.dir, 'outside/pod.yaml'), join(repo, 'envs/prod/leak.yaml'))
    symlinkSync('../../../outside/pod.yaml', join(repo, 'envs/prod/relative-leak.yaml'))
    commitWith('links out')
    const storeDir = join(tree.dir, 'store')
    const run = await runInProcess(['history', 'import', '--store', storeDir], repo)
    expect(run.code).toBe(0)
    const store = await openStore({ engine: 'pglite', dir: storeDir }, { pid: process.pid })
    try {
      const names = (await openFindings(store.client, {})).map((f) => f.name)
      expect(names).toContain('inside-pod')
      expect(names).not.toContain('outside-pod')
    } finally {
      await store.close()
    }
  })

  for (const ref of ['--output=OUT', '--upload-pack=touch OUT', '-oOUT', '--exec=touch OUT'])
    it(`a ref ${ref.replace('OUT', '<file>')} never reaches git as an option: nothing is written, git says it is no ref`, async () => {
      const out = join(tree.dir, 'pwned')
      await expect(readHistory(repo, ref.replace('OUT', out), undefined)).rejects.toThrow(
        /git log .*failed.*(unknown revision|bad revision|ambiguous argument)/,
      )
      expect(existsSync(out)).toBe(false)
    })

  it('history import --ref=--output=FILE exits with the error and writes nothing', async () => {
    const out = join(tree.dir, 'pwned')
    const run = await runInProcess(
      ['history', 'import', `--ref=--output=${out}`, '--store', join(tree.dir, 'store')],
      repo,
    )
    expect(existsSync(out)).toBe(false)
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/git log .*failed/)
  })

  it('a history of thousands of commits is read whole, in order, each with its own files', async () => {
    const count = 3000
    // git fast-import writes them in one process: a long history without thousands of git calls.
    const stream = [`reset refs/heads/long\nfrom ${head()}\n`]
    for (let i = 1; i <= count; i++) {
      const message = `step ${i}\x1e`
      stream.push(
        `commit refs/heads/long\ncommitter T <t@example.com> ${1_700_000_000 + i} +0000\n`,
        `data ${Buffer.byteLength(message)}\n${message}\n`,
        `M 644 inline envs/prod/f${i % 7}.yaml\ndata ${Buffer.byteLength(CONFIGMAP) + 2}\n${CONFIGMAP}#${i % 10}\n\n`,
      )
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: stream.join('') })
    const commits = await readHistory(repo, 'long', undefined)
    expect(commits).toHaveLength(count + 1)
    expect(commits.slice(1).map((c) => c.message)).toEqual(Array.from({ length: count }, (_, i) => `step ${i + 1}\x1e`))
    expect(commits.slice(1).every((c, i) => c.paths.join() === `envs/prod/f${(i + 1) % 7}.yaml`)).toBe(true)
  })
})
