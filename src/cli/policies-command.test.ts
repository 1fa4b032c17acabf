import { describe, expect, it } from 'vitest'
import { runInProcess, type CliRun } from './in-process.test-support.js'

const run = (args: string[]): Promise<CliRun> => runInProcess(args)

describe('palisade policies', () => {
  it('lists at least 80 policies as JSON with id, title, severity, category and controls', async () => {
    const { code, stdout } = await run(['policies', 'list', '--format', 'json'])
    expect(code).toBe(0)
    const list = JSON.parse(stdout) as {
      id: string
      title: string
      severity: string
      category: string
      controls: Record<string, string[]>
    }[]
    expect(list.length).toBeGreaterThanOrEqual(80)
    for (const p of list) {
      expect(Object.keys(p).sort()).toEqual(['category', 'controls', 'id', 'severity', 'title'])
      expect(p.controls.nist?.length, p.id).toBeGreaterThan(0)
      expect((p.controls.cis?.length ?? 0) + (p.controls.nsa?.length ?? 0), p.id).toBeGreaterThan(0)
    }
    expect(list.find((p) => p.id === 'disallow-privileged-containers')?.controls.pss).toEqual(['baseline/privileged'])
  })

  it('filters by framework and shows only that framework in text', async () => {
    const { code, stdout } = await run(['policies', 'list', '--framework', 'pss'])
    expect(code).toBe(0)
    const rows = stdout
      .trim()
      .split('\n')
      .filter((l) => /^(disallow|require|restrict)-/.test(l))
    expect(rows).toHaveLength(19)
    expect(stdout).toMatch(/^restrict-sysctls +high +pod-security +baseline\/sysctls$/m)
    expect(stdout).toContain('19 policies mapped to Kubernetes Pod Security Standards')
  })

  it('refuses an unknown framework with a usage error', async () => {
    const { code, stderr } = await run(['policies', 'list', '--framework', 'iso27001'])
    expect(code).toBe(2)
    expect(stderr).toContain('iso27001')
  })

  it('explains one policy with its parameters and controls', async () => {
    const { code, stdout } = await run(['policies', 'show', 'restrict-image-registries'])
    expect(code).toBe(0)
    expect(stdout).toContain('restrict-image-registries  (high, images, experimental)')
    expect(stdout).toMatch(/allowed = \[\]/)
    expect(stdout).toMatch(/NIST SP 800-53 rev5 +SR-11 +Component authenticity/)
    expect(stdout).toContain('Docs: docs/policies/restrict-image-registries.md')
  })

  it('shows a policy as JSON', async () => {
    const { stdout } = await run(['policies', 'show', 'disallow-unmasked-proc-mount', '--format', 'json'])
    const shown = JSON.parse(stdout) as { id: string; sets: string[]; params: Record<string, { default: unknown }> }
    expect(shown.id).toBe('disallow-unmasked-proc-mount')
    expect(shown.sets).toEqual(['all', 'pss-baseline', 'pss-restricted'])
    expect(shown.params.version?.default).toBe('latest')
  })

  it('fails with exit 2 and a suggestion for an unknown id', async () => {
    const { code, stderr } = await run(['policies', 'show', 'privileged-containers'])
    expect(code).toBe(2)
    expect(stderr).toContain('unknown policy "privileged-containers"')
    expect(stderr).toContain('disallow-privileged-containers')
  })
})
