/**
 * Gap: a refused render showed twice, once at the refused field (a kustomization entry, a
 * Chart.yaml dependency, an Argo CD release name) and once more at line 1 of the file that
 * declares the source. One refusal is one problem: reported once, at the most precise place.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { CHART_YAML, hostileRepo } from './hostile-repo.js'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

interface Report {
  errors: { code: string; file?: string; line?: number; message: string; severity?: string }[]
  sources: { status: string; reason?: string; path: string; file?: string }[]
  summary: { blocking: boolean }
}

async function scan(files: Record<string, string>): Promise<Report> {
  const repo = await hostileRepo(files)
  cleanup = repo.remove
  const run = await runInProcess(['scan', repo.root, '--format', 'json'], repo.root)
  return JSON.parse(run.stdout) as Report
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n'
const renderFailures = (report: Report) =>
  report.errors
    .filter((e) => e.code === 'RENDER_FAILED' && e.severity === 'error')
    .map((e) => [e.file?.split('/').slice(-2).join('/'), e.line])

describe('a refused render is reported once, at the refused field', () => {
  it('a kustomize entry outside the repository: at its line of kustomization.yaml, not again at line 1', async () => {
    const report = await scan({
      'overlay/kustomization.yaml': 'resources:\n  - cm.yaml\n  - ../../outside\n',
      'overlay/cm.yaml': CONFIGMAP,
    })
    expect(renderFailures(report)).toEqual([['overlay/kustomization.yaml', 3]])
    expect(report.sources.find((s) => s.path === 'overlay')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/outside the repository: refused/),
    })
    expect(report.summary.blocking).toBe(true)
  })

  it('a Helm file:// dependency outside the repository: at its line of Chart.yaml only', async () => {
    const report = await scan({
      'chart/Chart.yaml': `${CHART_YAML}dependencies:\n  - name: dep\n    version: 0.1.0\n    repository: file://../../outside/dep\n`,
      'chart/templates/cm.yaml': CONFIGMAP,
    })
    expect(renderFailures(report)).toEqual([['chart/Chart.yaml', 7]])
    expect(report.summary.blocking).toBe(true)
  })

  it('an Argo CD Application on a refused overlay: the overlay entry once, and the Application that points at it still failed in sources', async () => {
    const report = await scan({
      'overlay/kustomization.yaml': 'resources:\n  - ../../outside\n',
      'apps/app.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  project: web\n  source:\n    repoURL: https://github.com/example/repo\n    path: overlay\n  destination:\n    namespace: web\n',
    })
    const failures = renderFailures(report)
    expect(failures.filter(([file]) => file === 'overlay/kustomization.yaml')).toEqual([
      ['overlay/kustomization.yaml', 2],
    ])
    expect(failures.filter(([, line]) => line === 1)).toEqual([])
  })
})
