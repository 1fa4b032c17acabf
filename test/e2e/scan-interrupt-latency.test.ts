import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './run-cli.js'

/**
 * SIGINT answered between two big files, not after the pass: 24 files of 1 MB of Pods
 * (~5,000 each), scanned on the main thread alone (PALISADE_THREADS=1, where StreamWorkers
 * .between never let the event loop run before). The signal is sent once the spool holds
 * findings; the run must end by it within a bound far under what the remaining files take.
 */
describe('palisade scan interrupted on big files', () => {
  let dir: string
  const pod = (i: number, j: number): string =>
    `---\napiVersion: v1\nkind: Pod\nmetadata: { name: web-${i}-${j}, namespace: shop }\nspec:\n  containers: [{ name: app, image: "nginx:latest", securityContext: { privileged: true } }]\n`
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-e2e-interrupt-big-'))
    mkdirSync(join(dir, 'repo'))
    for (let i = 0; i < 24; i++) {
      const pods: string[] = []
      for (let j = 0, size = 0; size < 1 << 20; j++) size += (pods[j] = pod(i, j)).length
      writeFileSync(join(dir, 'repo', `pods-${String(i).padStart(2, '0')}.yaml`), pods.join(''))
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('ends by SIGINT soon after it, one thread, mid-pass', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'))
    const file = join(dir, 'report.json')
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/palisade.js'), 'scan', '.', '--format', 'json', '-o', file],
      {
        cwd: join(dir, 'repo'),
        env: { ...process.env, TMPDIR: tmp, PALISADE_THREADS: '1', NO_COLOR: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    )
    let sentAt: number | undefined
    for (let waited = 0; waited < 120_000 && child.exitCode === null; waited += 20) {
      const spool = readdirSync(tmp).find((f) => f.startsWith('palisade-spool-'))
      const findings = spool === undefined ? undefined : join(tmp, spool, 'findings')
      if (findings !== undefined && existsSync(findings) && statSync(findings).size > 0) {
        if (child.kill('SIGINT')) sentAt = Date.now()
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const end = await exited
    expect(sentAt, `the run ended before it could be interrupted: ${stderr}`).toBeDefined()
    expect(end.signal === 'SIGINT' || end.code === 130).toBe(true)
    // The file being checked when the signal came is finished first: a second or two on a loaded machine.
    expect(end.at - (sentAt as number)).toBeLessThan(6_000)
    expect(readdirSync(tmp)).toEqual([])
    expect(existsSync(file)).toBe(false)
  }, 180_000)
})
