import { execFileSync, spawnSync } from 'node:child_process'
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readBounded } from '../../src/sources/index.js'
import { ROOT } from '../e2e/run-cli.js'
import { hostileTree, privilegedPod } from './hostile-tree.js'

interface Report {
  findings: { resource: { name: string } }[]
  errors: { file: string; message: string }[]
}

/**
 * The built CLI in a child process with a kill timer: a run that blocks on a FIFO or reads
 * /dev/zero without end must fail this test, not hang the test runner (an in-process
 * blocking open could not be interrupted). The timer is a safety net, not a measurement.
 */
function scan(args: readonly string[], cwd: string, input?: string) {
  const child = spawnSync(process.execPath, [`${ROOT}bin/palisade.js`, 'scan', '--format', 'json', ...args], {
    cwd,
    input,
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  })
  expect(child.signal, `palisade scan ${args.join(' ')} was killed: it hung or ran away`).toBeNull()
  return { code: child.status, report: JSON.parse(child.stdout) as Report }
}

describe.skipIf(process.platform === 'win32')('non-regular files are reported, never opened', () => {
  let tree: ReturnType<typeof hostileTree>
  beforeEach(() => {
    tree = hostileTree('special')
  })
  afterEach(() => tree.cleanup())

  it('an explicit FIFO is reported as not a regular file instead of blocking the scan', () => {
    execFileSync('mkfifo', [join(tree.dir, 'pipe.yaml')])
    tree.write('pod.yaml', privilegedPod('beside-the-pipe'))
    const { report } = scan(['pipe.yaml', 'pod.yaml', '--no-render'], tree.dir)
    expect(report.errors).toEqual([
      expect.objectContaining({ file: 'pipe.yaml', message: expect.stringMatching(/not a regular file/) }),
    ])
    expect(report.findings.map((f) => f.resource.name)).toContain('beside-the-pipe')
  })

  it('an explicit /dev/zero is reported, not read without end', () => {
    const { report } = scan(['/dev/zero', '--max-file-size', '1000', '--no-render'], tree.dir)
    expect(report.errors).toEqual([
      expect.objectContaining({ file: '/dev/zero', message: expect.stringMatching(/not a regular file/) }),
    ])
  })

  it('inside a folder, a FIFO and a link to it are named in a diagnostic', () => {
    execFileSync('mkfifo', [join(tree.dir, 'pipe.yaml')])
    symlinkSync('pipe.yaml', join(tree.dir, 'pipe-link.yaml'))
    tree.write('pod.yaml', privilegedPod('in-the-folder'))
    const { report } = scan(['.', '--no-render'], tree.dir)
    expect(report.errors.map((e) => e.file).sort()).toEqual(['pipe-link.yaml', 'pipe.yaml'])
    for (const e of report.errors) expect(e.message).toMatch(/not a regular file/)
    expect(report.findings.map((f) => f.resource.name)).toContain('in-the-folder')
  })

  it('a .palisadeignore that is a FIFO is reported, and the folder is still scanned (with and without rendering)', () => {
    execFileSync('mkfifo', [join(tree.dir, '.palisadeignore')])
    tree.write('pod.yaml', privilegedPod('ignored-file-is-a-pipe'))
    for (const render of [['--no-render'], []]) {
      const { report } = scan(['.', ...render], tree.dir)
      expect(report.findings.map((f) => f.resource.name)).toContain('ignored-file-is-a-pipe')
      expect(report.errors.map((e) => e.file)).toContain('.palisadeignore')
    }
  })

  it('stdin (-) is still scanned, and capped at --max-file-size', () => {
    const small = scan(['-'], tree.dir, privilegedPod('from-stdin'))
    expect(small.report.findings.map((f) => f.resource.name)).toContain('from-stdin')
    const big = scan(['-', '--max-file-size', '100'], tree.dir, privilegedPod('too-big-for-the-cap'))
    expect(big.report.findings).toEqual([])
    expect(big.report.errors).toEqual([
      expect.objectContaining({ file: '<stdin>', message: expect.stringMatching(/100-byte limit/) }),
    ])
  })

  it.skipIf(process.platform !== 'linux')(
    'a regular file whose size is wrong (a /proc file says 0) is read at most max-file-size + 1 bytes',
    () => {
      // /proc/self/maps is a regular file that stat()s as 0 bytes but holds many lines.
      const read = readBounded('/proc/self/maps', 64)
      expect(read).toEqual({ tooLarge: 65 })
    },
  )
})
