import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './run-cli.js'

/**
 * SIGINT or SIGTERM while the built CLI streams a scan on two threads (`scan --format json
 * -o FILE`, 24 MB of Pods in 6,000 files: streamed from 16 MB) leaves no spool folder in the temporary
 * folder (TMPDIR points the child at a private one) and no report at FILE, and the process
 * ends by that signal (a shell shows 130 or 143). The signal is sent once the spool holds
 * findings, i.e. mid-run.
 */
describe('palisade scan interrupted mid-run', () => {
  let dir: string
  const pod = (i: number, j: number): string =>
    `---\napiVersion: v1\nkind: Pod\nmetadata: { name: web-${i}-${j}, namespace: shop }\nspec:\n  containers: [{ name: app, image: "nginx:latest", securityContext: { privileged: true } }]\n`
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-e2e-interrupt-'))
    mkdirSync(join(dir, 'repo'))
    // 6,000 files of 4 KB (a GitOps repository's shape): the main thread looks at signals between files.
    for (let d = 0; d < 60; d++) {
      mkdirSync(join(dir, 'repo', `app-${d}`))
      for (let i = 0; i < 100; i++) {
        const pods: string[] = []
        for (let j = 0, size = 0; size < 4096; j++) size += (pods[j] = pod(d * 100 + i, j)).length
        writeFileSync(join(dir, 'repo', `app-${d}`, `pods-${i}.yaml`), pods.join(''))
      }
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const spools = (tmp: string): string[] => readdirSync(tmp).filter((f) => f.startsWith('palisade-spool-'))

  async function interrupt(signal: 'SIGINT' | 'SIGTERM') {
    const tmp = mkdtempSync(join(dir, 'tmp-'))
    const reports = mkdtempSync(join(dir, 'reports-'))
    const file = join(reports, 'report.json')
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/palisade.js'), 'scan', '.', '--format', 'json', '-o', file],
      {
        cwd: join(dir, 'repo'),
        env: { ...process.env, TMPDIR: tmp, PALISADE_THREADS: '2', NO_COLOR: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, sig) => resolve({ code, signal: sig })),
    )
    let sent = false
    let seen: string[] = []
    for (let waited = 0; waited < 120_000 && child.exitCode === null; waited += 20) {
      const [spool] = spools(tmp)
      const findings = spool === undefined ? undefined : join(tmp, spool, 'findings')
      seen = spool === undefined ? [] : readdirSync(join(tmp, spool))
      if (findings !== undefined && existsSync(findings) && statSync(findings).size > 0 && seen.length > 1) {
        sent = child.kill(signal)
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const end = await exited
    return { sent, seen, end, stderr, tmp, reports, file }
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s removes the spool and leaves no report at FILE',
    async (signal, status) => {
      const run = await interrupt(signal)
      // Mid-run: the main thread had spooled findings and a worker had opened its spool file.
      expect(run.sent, `the run ended before it could be interrupted: ${run.stderr}`).toBe(true)
      expect(run.seen.length).toBeGreaterThan(1)
      // Ended by the signal itself (or its shell status), not by a normal exit.
      expect(run.end.signal === signal || run.end.code === status).toBe(true)
      expect(run.stderr).toBe('')
      expect(spools(run.tmp)).toEqual([])
      expect(readdirSync(run.tmp)).toEqual([])
      expect(existsSync(run.file)).toBe(false)
      expect(readdirSync(run.reports)).toEqual([])
    },
    180_000,
  )
})
