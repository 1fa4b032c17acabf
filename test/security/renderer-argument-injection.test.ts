import { readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { CHART_YAML, hostileRepo } from './hostile-repo.js'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

const PRIVILEGED =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: {{ .Values.image | default "nginx:1.27" }}\n      securityContext:\n        privileged: true\n'

interface Report {
  findings: { policyId: string }[]
  errors: { code: string; file?: string; line?: number; message: string; severity?: string }[]
  sources: { status: string; reason?: string }[]
}

async function scan(root: string): Promise<Report> {
  const run = await runInProcess(['scan', root, '--format', 'json'], root)
  return JSON.parse(run.stdout) as Report
}

describe('values from Argo CD and Flux objects never become helm flags', () => {
  it('an Argo CD releaseName --output-dir=DIR is a render error at its line, and nothing is written', async () => {
    const repo = await hostileRepo({ 'chart/Chart.yaml': CHART_YAML, 'chart/templates/pod.yaml': PRIVILEGED })
    cleanup = repo.remove
    await writeFile(
      path.join(repo.root, 'app.yaml'),
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  source:\n    repoURL: https://github.com/example/repo\n    path: chart\n    helm:\n      releaseName: --output-dir=${repo.outside}\n  destination:\n    namespace: web\n`,
    )
    const report = await scan(repo.root)
    expect(await readdir(repo.outside)).toEqual([])
    const error = report.errors.find((e) => e.code === 'RENDER_FAILED' && e.file?.endsWith('app.yaml'))
    expect(error).toMatchObject({ line: 10, severity: 'error' })
    expect(error?.message).toMatch(/release name "--output-dir=.*" is not a valid Helm release name/)
  })

  it('a Flux releaseName --set-file=image=FILE does not read the file into a finding', async () => {
    const repo = await hostileRepo({ 'chart/Chart.yaml': CHART_YAML, 'chart/templates/pod.yaml': PRIVILEGED })
    cleanup = repo.remove
    await writeFile(path.join(repo.outside, 'secret'), 'outside-secret-31c9')
    await writeFile(
      path.join(repo.root, 'release.yaml'),
      `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: web\nspec:\n  releaseName: --set-file=image=${path.join(repo.outside, 'secret')}\n  chart:\n    spec:\n      chart: ./chart\n      sourceRef: { kind: GitRepository, name: flux-system }\n`,
    )
    const report = await scan(repo.root)
    expect(JSON.stringify(report)).not.toContain('outside-secret-31c9')
    expect(report.errors.find((e) => e.code === 'RENDER_FAILED' && e.file?.endsWith('release.yaml'))).toMatchObject({
      line: 7,
      severity: 'error',
    })
  })

  it('a Flux targetNamespace --dry-run=server is refused at its line, not sent to a cluster', async () => {
    const repo = await hostileRepo({ 'chart/Chart.yaml': CHART_YAML, 'chart/templates/pod.yaml': PRIVILEGED })
    cleanup = repo.remove
    await writeFile(
      path.join(repo.root, 'release.yaml'),
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: web\nspec:\n  releaseName: web\n  targetNamespace: --dry-run=server\n  chart:\n    spec:\n      chart: ./chart\n      sourceRef: { kind: GitRepository, name: flux-system }\n',
    )
    const report = await scan(repo.root)
    const error = report.errors.find((e) => e.code === 'RENDER_FAILED' && e.file?.endsWith('release.yaml'))
    expect(error).toMatchObject({ line: 8, severity: 'error' })
    expect(error?.message).toMatch(/namespace "--dry-run=server" is not a valid Kubernetes namespace name/)
  })
})
