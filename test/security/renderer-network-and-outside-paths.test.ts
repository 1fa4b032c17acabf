import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { CHART_YAML, hostileRepo } from './hostile-repo.js'

let cleanup: (() => Promise<void>) | undefined
let server: Server | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

interface Report {
  errors: { code: string; file?: string; line?: number; message: string; severity?: string }[]
  sources: { status: string; reason?: string; path: string }[]
}

async function scan(root: string): Promise<Report> {
  const run = await runInProcess(['scan', root, '--format', 'json'], root)
  return JSON.parse(run.stdout) as Report
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n'

describe('a repository cannot make a renderer reach the network or a path outside it', () => {
  it('kustomize remote resources are not fetched (no request reaches a server) and are reported at their line', async () => {
    let requests = 0
    server = createServer((_req, res) => {
      requests++
      res.end(CONFIGMAP)
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const repo = await hostileRepo({
      'overlay/kustomization.yaml': `resources:\n  - cm.yaml\n  - http://127.0.0.1:${port}/remote.yaml\n`,
      'other/kustomization.yaml': 'resources:\n  - github.com/example/remote//base?ref=v1\n',
      'overlay/cm.yaml': CONFIGMAP,
    })
    cleanup = repo.remove
    const report = await scan(repo.root)
    expect(requests).toBe(0)
    const lines = report.errors
      .filter((e) => e.code === 'RENDER_FAILED' && e.file?.endsWith('overlay/kustomization.yaml'))
      .map((e) => [e.line, e.severity])
    expect(lines).toEqual([[3, 'error']])
    expect(
      report.errors.filter((e) => e.file?.endsWith('other/kustomization.yaml')).map((e) => [e.line, e.severity]),
    ).toEqual([[2, 'error']])
    expect(report.sources.find((s) => s.path === 'overlay')?.reason).toMatch(/not fetched: .*remote\.yaml/)
  })

  it('a kustomize resource folder outside the repository refuses the render at its line', async () => {
    const repo = await hostileRepo({ 'overlay/kustomization.yaml': 'resources:\n  - ../../outside\n' })
    cleanup = repo.remove
    await writeFile(path.join(repo.outside, 'kustomization.yaml'), 'resources: [stolen.yaml]\n')
    await writeFile(
      path.join(repo.outside, 'stolen.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside-marker-92ab\n',
    )
    const run = await runInProcess(['scan', repo.root, '--format', 'json'], repo.root)
    expect(run.stdout).not.toContain('outside-marker-92ab')
    const report = JSON.parse(run.stdout) as Report
    expect(
      report.errors.some(
        (e) =>
          e.file?.endsWith('overlay/kustomization.yaml') &&
          e.line === 2 &&
          e.severity === 'error' &&
          /outside the repository/.test(e.message),
      ),
    ).toBe(true)
  })

  it('a Helm file:// dependency outside the repository is refused at its line of Chart.yaml', async () => {
    const repo = await hostileRepo({
      'chart/Chart.yaml': `${CHART_YAML}dependencies:\n  - name: dep\n    version: 0.1.0\n    repository: file://../../outside/dep\n`,
      'chart/templates/cm.yaml': CONFIGMAP,
    })
    cleanup = repo.remove
    const report = await scan(repo.root)
    expect(
      report.errors.some(
        (e) =>
          e.file?.endsWith('chart/Chart.yaml') &&
          e.line === 7 &&
          e.severity === 'error' &&
          /outside the repository/.test(e.message),
      ),
    ).toBe(true)
  })

  it('Argo CD helm.valueFiles outside the repository ($ref/../ and ../) are refused at their line', async () => {
    const repo = await hostileRepo({ 'chart/Chart.yaml': CHART_YAML, 'chart/templates/cm.yaml': CONFIGMAP })
    cleanup = repo.remove
    await writeFile(path.join(repo.outside, 'values.yaml'), 'image: outside-marker-5d1e\n')
    await writeFile(
      path.join(repo.root, 'app.yaml'),
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  sources:\n    - repoURL: https://github.com/example/repo\n      ref: values\n    - repoURL: https://github.com/example/repo\n      path: chart\n      helm:\n        valueFiles:\n          - values.yaml\n          - $values/../outside/values.yaml\n  destination:\n    namespace: web\n',
    )
    const report = await scan(repo.root)
    expect(report.errors.find((e) => e.file?.endsWith('app.yaml'))).toMatchObject({
      line: 14,
      severity: 'error',
      code: 'RENDER_FAILED',
    })
    expect(JSON.stringify(report)).not.toContain('outside-marker-5d1e')
  })
})
