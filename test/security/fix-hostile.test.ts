import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runFix } from '../../src/app/index.js'
import { writeProvenFiles } from '../../src/app/fix-write.js'
import type { AppIo } from '../../src/app/io.js'
import { DEFAULT_MAX_FILE_BYTES } from '../../src/sources/index.js'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { hostileTree } from './hostile-tree.js'

// `palisade fix` writes files: a hostile repository must not make it write (or read) anything
// outside the scanned roots, run a command, reach the network, or hang. repo/ is the root;
// outside/ is next to it and must keep its bytes.

const HUGE = DEFAULT_MAX_FILE_BYTES + 1

/** A Pod with two safe fixes (allowPrivilegeEscalation, imagePullPolicy), named to be found in output. */
const fixablePod = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0.0\n`

let tree: ReturnType<typeof hostileTree>
let server: Server | undefined
beforeEach(() => {
  tree = hostileTree('fix')
  tree.write('outside/pod.yaml', fixablePod('outside-pod'))
  tree.write('repo/pod.yaml', fixablePod('inside-pod'))
})
afterEach(async () => {
  tree.cleanup()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

const appIo = (cwd: string): AppIo => ({
  stdin: process.stdin,
  cwd,
  env: {},
  now: () => new Date('2026-01-01T00:00:00Z'),
})
const read = (rel: string): string => readFileSync(join(tree.dir, rel), 'utf8')
const fixed = (rel: string): boolean => read(rel).includes('allowPrivilegeEscalation: false')

describe('palisade fix on a hostile repository', () => {
  it('a file linked from outside the scanned folder is neither fixed nor read; the inside file is fixed', async () => {
    symlinkSync(join(tree.dir, 'outside/pod.yaml'), join(tree.dir, 'repo/linked.yaml'))
    const run = await runInProcess(['fix', 'repo'], tree.dir)
    expect(read('outside/pod.yaml')).toBe(fixablePod('outside-pod'))
    expect(fixed('repo/pod.yaml')).toBe(true)
    expect(run.stdout + run.stderr).not.toContain('outside-pod')
    expect(run.stdout + run.stderr).toMatch(/repo\/linked\.yaml/)
  })

  // The swap happens between the scan (the dry run plans the very edits fix would make) and the
  // write; the link's target has the same text, so a check of the text alone cannot tell.
  it('a file swapped for a link to outside between the scan and the write is not written through the link', async () => {
    tree.write('outside/same.yaml', fixablePod('inside-pod'))
    const { outcome } = await runFix(
      { paths: ['repo'], dryRun: true, maxFileSize: HUGE - 1, kubernetesVersion: '1.35', render: true },
      appIo(tree.dir),
    )
    expect(outcome.files.map((f) => f.file)).toEqual(['repo/pod.yaml'])
    rmSync(join(tree.dir, 'repo/pod.yaml'))
    symlinkSync(join(tree.dir, 'outside/same.yaml'), join(tree.dir, 'repo/pod.yaml'))
    await writeProvenFiles(outcome, tree.dir, [join(tree.dir, 'repo')])
    expect(read('outside/same.yaml')).toBe(fixablePod('inside-pod'))
    expect(outcome.files).toEqual([])
    expect(outcome.rolledBack).toEqual([
      { file: 'repo/pod.yaml', reasons: ['it was replaced by a symbolic link; not written'] },
    ])
  })

  it('a folder swapped for a link to outside between the scan and the write is not written through', async () => {
    tree.write('repo/sub/pod.yaml', fixablePod('sub-pod'))
    tree.write('outside/sub/pod.yaml', fixablePod('sub-pod'))
    const { outcome } = await runFix(
      { paths: ['repo'], dryRun: true, maxFileSize: HUGE - 1, kubernetesVersion: '1.35', render: true },
      appIo(tree.dir),
    )
    expect(outcome.files.map((f) => f.file).sort()).toEqual(['repo/pod.yaml', 'repo/sub/pod.yaml'])
    rmSync(join(tree.dir, 'repo/sub'), { recursive: true })
    symlinkSync(join(tree.dir, 'outside/sub'), join(tree.dir, 'repo/sub'))
    await writeProvenFiles(outcome, tree.dir, [join(tree.dir, 'repo')])
    expect(read('outside/sub/pod.yaml')).toBe(fixablePod('sub-pod'))
    expect(outcome.files.map((f) => f.file)).toEqual(['repo/pod.yaml'])
    expect(fixed('repo/pod.yaml')).toBe(true)
    expect(outcome.rolledBack.map((r) => r.file)).toEqual(['repo/sub/pod.yaml'])
  })

  it('an overlay whose base is outside the repository (..) is refused: the outside base keeps its bytes', async () => {
    tree.write('outside/base/kustomization.yaml', 'resources:\n  - pod.yaml\n')
    tree.write('outside/base/pod.yaml', fixablePod('outside-base-pod'))
    tree.write('repo/overlay/kustomization.yaml', 'resources:\n  - ../../outside/base\nnamePrefix: prod-\n')
    const run = await runInProcess(['fix', 'repo'], tree.dir)
    expect(read('outside/base/pod.yaml')).toBe(fixablePod('outside-base-pod'))
    expect(read('outside/base/kustomization.yaml')).toBe('resources:\n  - pod.yaml\n')
    expect(fixed('repo/pod.yaml')).toBe(true)
    expect(run.stdout + run.stderr).toMatch(/repo\/overlay\/kustomization\.yaml/)
  })

  it('a base inside the repository but outside the scanned folder is not edited by fixing the overlay, and the refusal is reported', async () => {
    tree.write('repo/base/kustomization.yaml', 'resources:\n  - pod.yaml\n')
    tree.write('repo/base/pod.yaml', fixablePod('base-pod'))
    tree.write('repo/overlay/kustomization.yaml', 'resources:\n  - ../base\nnamePrefix: prod-\n')
    const run = await runInProcess(['fix', 'repo/overlay'], tree.dir)
    expect(read('repo/base/pod.yaml')).toBe(fixablePod('base-pod'))
    // The refused render blocks, and says where and why (not a bare exit 1 after "0 findings").
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/repo\/overlay\/kustomization\.yaml:2: .*"\.\.\/base" is outside/)
  })

  it('a kustomize remote resource is not fetched: no request reaches the server, the local files are still fixed', async () => {
    let requests = 0
    server = createServer((_req, res) => {
      requests++
      res.end(fixablePod('remote-pod'))
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    tree.write(
      'repo/overlay/kustomization.yaml',
      `resources:\n  - pod.yaml\n  - http://127.0.0.1:${port}/remote.yaml\n`,
    )
    tree.write('repo/overlay/pod.yaml', fixablePod('overlay-pod'))
    const run = await runInProcess(['fix', 'repo'], tree.dir)
    expect(requests).toBe(0)
    expect(run.stdout).not.toContain('remote-pod')
    expect(fixed('repo/pod.yaml')).toBe(true)
    expect(run.stderr).toMatch(/repo\/overlay\/kustomization\.yaml:3: /)
  })

  it('a file name with an escape sequence and a newline is printed as visible characters, one line per file', async () => {
    const name = 'e\u001b[2Jvil\nrepo/forged.yaml: fixed 9 findings.yaml'
    tree.write(`repo/${name}`, fixablePod('escape-pod'))
    const run = await runInProcess(['fix', 'repo'], tree.dir)
    const printed = run.stdout + run.stderr
    expect(printed).not.toContain('\u001b')
    expect(printed).toContain('repo/e\u241b[2Jvil\u240arepo/forged.yaml: fixed 9 findings.yaml: fixed 2 findings')
    expect(printed.split('\n').filter((l) => l.startsWith('repo/forged.yaml'))).toEqual([])
    expect(readFileSync(join(tree.dir, 'repo', name), 'utf8')).toContain('allowPrivilegeEscalation: false')
  })

  it('deeply nested and alias-bomb YAML end with an error at the file; the other files are still fixed', async () => {
    const depth = 100_000
    tree.write('repo/deep.yaml', `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`)
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    tree.write('repo/bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n${laughs.join('\n')}\n`)
    // Past the size limit: reported, never written (a fix would have to parse it first).
    writeFileSync(join(tree.dir, 'repo/huge.yaml'), `${fixablePod('huge-pod')}#${'x'.repeat(HUGE)}\n`)
    const before = { deep: read('repo/deep.yaml'), bomb: read('repo/bomb.yaml'), huge: read('repo/huge.yaml') }
    const run = await runInProcess(['fix', 'repo'], tree.dir)
    expect(fixed('repo/pod.yaml')).toBe(true)
    expect(read('repo/huge.yaml')).toBe(before.huge)
    expect(read('repo/deep.yaml')).toBe(before.deep)
    expect(read('repo/bomb.yaml')).toBe(before.bomb)
    expect(run.stdout + run.stderr).toMatch(/repo\/deep\.yaml/)
    expect(run.stdout + run.stderr).toMatch(/repo\/bomb\.yaml/)
    expect(run.stdout + run.stderr).toMatch(/repo\/huge\.yaml/)
  })
})
