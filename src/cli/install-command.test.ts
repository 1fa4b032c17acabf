import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runInProcess, type CliRun } from './in-process.test-support.js'

const run = (args: string[], cwd = process.cwd()): Promise<CliRun> =>
  runInProcess(args, cwd, new Date('2026-12-05T00:00:00Z'))

const DIGEST = `ghcr.io/palisade-dev/palisade@sha256:${'4f'.repeat(32)}`

describe('palisade install --print', () => {
  it("passes Palisade's own policies: pss-restricted, best-practices and the whole default set, with no finding at all", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-install-'))
    const printed = await run(['install', '--print', '--image', DIGEST], dir)
    expect(printed.code).toBe(0)
    const file = join(dir, 'install.yaml')
    writeFileSync(file, printed.stdout)
    // require-image-digest is experimental (outside `all`): named by id, it passes because the image is pinned.
    for (const policies of ['pss-restricted', 'best-practices', 'all', 'require-image-digest']) {
      const scan = await run(['scan', file, '--format', 'json', '--policies', policies, '--no-render'], dir)
      const result = JSON.parse(scan.stdout) as {
        summary: { resources: number }
        findings: { policy: string; action: string }[]
      }
      expect(result.findings, policies).toEqual([])
      expect(scan.code).toBe(0)
      expect(result.summary.resources).toBeGreaterThanOrEqual(11)
    }
  })

  it('ships palisade.yaml in a ConfigMap and registers one webhook per environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-install-'))
    writeFileSync(
      join(dir, 'palisade.yaml'),
      'environments:\n  - name: production\n    namespaces: [prod-*]\n  - name: dev\n    actions: { default: warn }\n',
    )
    const printed = await run(['install', '--print', '--config', 'palisade.yaml', '--namespace', 'policy'], dir)
    expect(printed.code).toBe(0)
    expect(printed.stdout).toContain('path: /validate/production')
    expect(printed.stdout).toContain('path: /mutate/dev')
    expect(printed.stdout).toContain('- --config\n')
    expect(printed.stderr).toMatch(/no --ca-bundle/)
  })

  it("keeps serve's request deadline below the webhook timeout: 60% of --timeout, serve's default 3 s at the default 5 s", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-install-'))
    const longer = await run(['install', '--print', '--timeout', '10'], dir)
    expect(longer.stdout).toContain('timeoutSeconds: 10')
    expect(longer.stdout).toMatch(/- --request-timeout\n\s+- "?6000"?\n/)
    const shorter = await run(['install', '--print', '--timeout', '2'], dir)
    expect(shorter.stdout).toMatch(/- --request-timeout\n\s+- "?1200"?\n/)
    expect((await run(['install', '--print'], dir)).stdout).not.toContain('--request-timeout')
  })

  it('refuses to run without --print (it never talks to a cluster)', async () => {
    expect((await run(['install'])).code).toBe(2)
  })
})
