import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { CHART_YAML, hostileRepo } from './hostile-repo.js'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

interface Report {
  errors: unknown[]
  sources: { kind: string; status: string; reason?: string; line?: number }[]
}

/** Scan a chart deployed by one Flux HelmRelease with the given `valuesFrom:` list. */
async function scanWith(valuesFrom: string): Promise<{ report: Report; code: number }> {
  const release = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: web\nspec:\n  chart:\n    spec:\n      chart: ./chart\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n  valuesFrom:\n${valuesFrom}\n`
  const repo = await hostileRepo({
    'chart/Chart.yaml': CHART_YAML,
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    'release.yaml': release,
  })
  cleanup = repo.remove
  const run = await runInProcess(['scan', repo.root, '--format', 'json'], repo.root)
  return { report: JSON.parse(run.stdout) as Report, code: run.code }
}

const release = (r: Report) => r.sources.find((s) => s.kind === 'flux-helmrelease')

describe('Flux HelmRelease valuesFrom Palisade cannot apply blocks', () => {
  it('a required ConfigMap is refused at its line (the render would differ from what Flux deploys)', async () => {
    const { report, code } = await scanWith(
      '    - { kind: ConfigMap, name: base, optional: true }\n    - { kind: Secret, name: prod }',
    )
    expect(release(report)).toMatchObject({ status: 'failed', line: 16 })
    expect(release(report)?.reason).toContain('"Secret/prod"')
    expect(code).not.toBe(0)
  })

  it('optional ones are left out with a note, as Flux leaves out a missing optional object', async () => {
    const { report } = await scanWith('    - { kind: ConfigMap, name: base, optional: true }')
    expect(release(report)).toMatchObject({ status: 'scanned' })
    expect(release(report)?.reason).toContain('valuesFrom')
  })
})
