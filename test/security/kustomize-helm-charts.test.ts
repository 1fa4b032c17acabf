import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { hostileRepo } from './hostile-repo.js'

// Kustomize's `helmCharts:` runs helm from inside kustomize, and pulls a chart it does not
// find on disk from the overlay's `repo:`. A scanned overlay must never make it fetch, pass
// repository text to helm as a flag, or take helm's configuration from the repository; a
// vendored chart renders with the real kustomize (kubectl's) and helm of .tools/bin, and
// what is not rendered is an error at its line, never a quiet pass.

let cleanup: (() => Promise<void>) | undefined
let server: Server | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

interface Report {
  findings: { resource: { name: string }; file: string; line: number }[]
  errors: { code: string; file?: string; line?: number; message: string; severity?: string }[]
  sources: { status: string; reason?: string; path: string }[]
}

const HELM_ON = 'render:\n  kustomize: { enableHelm: true }\n'
const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  // kustomize reads the chart's values.yaml (it fails without one).
  'values.yaml': 'replicas: 1\n',
  // The release name is kustomize's `releaseName`: the overlay's objects are told apart by it.
  'templates/pod.yaml':
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-pod\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0.0\n      securityContext:\n        privileged: true\n',
}
const chartAt = (folder: string): Record<string, string> =>
  Object.fromEntries(Object.entries(CHART).map(([file, text]) => [`${folder}/${file}`, text]))

async function scan(files: Record<string, string>): Promise<Report> {
  const repo = await hostileRepo(files)
  cleanup = repo.remove
  const run = await runInProcess(['scan', repo.root, '--format', 'json'], repo.root)
  return JSON.parse(run.stdout) as Report
}
const overlayErrors = (report: Report): [number | undefined, string][] =>
  report.errors
    .filter((e) => e.file?.endsWith('overlay/kustomization.yaml'))
    .map((e) => [e.line, e.severity ?? 'error'] as [number | undefined, string])
const renderedPods = (report: Report): string[] =>
  [...new Set(report.findings.map((f) => f.resource.name).filter((n) => n.startsWith('rel-')))].sort()

/** A server that counts requests: a helm repository the overlay names. */
async function countingServer(): Promise<{ url: string; requests: () => number }> {
  let requests = 0
  server = createServer((_req, res) => {
    requests++
    res.statusCode = 404
    res.end()
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts`,
    requests: () => requests,
  }
}

describe('kustomize helmCharts in a scanned overlay', () => {
  it('a vendored chart renders with kubectl kustomize and the helm 4 of .tools/bin, its findings at the helmCharts field', async () => {
    const report = await scan({
      'palisade.yaml': HELM_ON,
      'overlay/kustomization.yaml': 'helmCharts:\n  - name: web\n    releaseName: rel\n',
      ...chartAt('overlay/charts/web'),
    })
    expect(overlayErrors(report)).toEqual([])
    expect(report.sources.find((s) => s.path === 'overlay')?.status).toBe('scanned')
    expect(renderedPods(report)).toEqual(['rel-pod'])
    expect(report.findings.find((f) => f.resource.name === 'rel-pod')).toMatchObject({
      file: 'overlay/kustomization.yaml',
      line: 1, // the helmCharts field (kustomize's origin names the generator, not the entry)
    })
  })

  it('a chart with repo and version is looked for where kustomize looks (<name>-<version>/<name>): not pulled when only <name> is vendored', async () => {
    const helmRepo = await countingServer()
    const report = await scan({
      'palisade.yaml': HELM_ON,
      'overlay/kustomization.yaml': `resources:\n  - cm.yaml\nhelmCharts:\n  - name: web\n    repo: ${helmRepo.url}\n    version: 0.1.0\n    releaseName: rel\n`,
      'overlay/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n',
      ...chartAt('overlay/charts/web'),
    })
    expect(helmRepo.requests()).toBe(0)
    expect(overlayErrors(report)).toEqual([[4, 'error']])
    expect(report.errors.find((e) => e.line === 4)?.message).toMatch(/charts\/web-0\.1\.0\/web .*not fetched/)
    expect(report.sources.find((s) => s.path === 'overlay')).toMatchObject({
      status: 'scanned',
      reason: expect.stringMatching(/not fetched: .*helm chart web from http:\/\/127\.0\.0\.1/),
    })
    expect(renderedPods(report)).toEqual([])
  })

  it('a chart with repo and version vendored at <name>-<version>/<name> renders without a request', async () => {
    const helmRepo = await countingServer()
    const report = await scan({
      'palisade.yaml': HELM_ON,
      'overlay/kustomization.yaml': `helmCharts:\n  - name: web\n    repo: ${helmRepo.url}\n    version: 0.1.0\n    releaseName: rel\n`,
      ...chartAt('overlay/charts/web-0.1.0/web'),
    })
    expect(helmRepo.requests()).toBe(0)
    expect(overlayErrors(report)).toEqual([])
    expect(renderedPods(report)).toEqual(['rel-pod'])
  })

  it('a chart that is not vendored is not fetched: an error at its entry, the rest of the overlay rendered', async () => {
    const helmRepo = await countingServer()
    const report = await scan({
      'palisade.yaml': HELM_ON,
      'overlay/kustomization.yaml': `resources:\n  - pod.yaml\nhelmCharts:\n  - name: web\n    repo: ${helmRepo.url}\n    releaseName: rel\n`,
      'overlay/pod.yaml': CHART['templates/pod.yaml'].replace('{{ .Release.Name }}', 'rel-plain'),
    })
    expect(helmRepo.requests()).toBe(0)
    expect(overlayErrors(report)).toEqual([[4, 'error']])
    expect(renderedPods(report)).toEqual(['rel-plain-pod'])
  })

  for (const [field, value] of [
    ['releaseName', '--post-renderer=/bin/true'],
    ['name', '--repo=http://127.0.0.1:9/x'],
  ] as const)
    it(`a helmCharts ${field} that starts with "-" refuses the render at its line (helm would read it as a flag)`, async () => {
      const chart = { name: 'web', releaseName: 'rel', [field]: value }
      const report = await scan({
        'palisade.yaml': HELM_ON,
        'overlay/kustomization.yaml': `helmCharts:\n  - name: "${chart.name}"\n    releaseName: "${chart.releaseName}"\n`,
        ...chartAt('overlay/charts/web'),
      })
      const line = field === 'name' ? 2 : 3
      expect(overlayErrors(report)).toEqual([[line, 'error']])
      expect(report.errors.find((e) => e.line === line)?.message).toMatch(/starts with "-"/)
      expect(report.sources.find((s) => s.path === 'overlay')?.status).toBe('failed')
      expect(renderedPods(report)).toEqual([])
    })

  it('helmGlobals.configHome (helm configuration and plugins from the repository) refuses the render at its line', async () => {
    const report = await scan({
      'palisade.yaml': HELM_ON,
      'overlay/kustomization.yaml':
        'helmGlobals:\n  configHome: helm-home\nhelmCharts:\n  - name: web\n    releaseName: rel\n',
      'overlay/helm-home/repositories.yaml': 'apiVersion: ""\nrepositories: []\n',
      ...chartAt('overlay/charts/web'),
    })
    expect(overlayErrors(report)).toEqual([[2, 'error']])
    expect(report.sources.find((s) => s.path === 'overlay')?.status).toBe('failed')
  })

  it('the deprecated helmChartInflationGenerator (kustomize turns it into helmCharts) is an error at its line, not pulled', async () => {
    const helmRepo = await countingServer()
    const report = await scan({
      'palisade.yaml': HELM_ON,
      'overlay/kustomization.yaml': `resources:\n  - pod.yaml\nhelmChartInflationGenerator:\n  - chartName: web\n    chartRepoUrl: ${helmRepo.url}\n    chartVersion: 0.1.0\n    releaseName: rel\n`,
      'overlay/pod.yaml': CHART['templates/pod.yaml'].replace('{{ .Release.Name }}', 'rel-plain'),
    })
    expect(helmRepo.requests()).toBe(0)
    expect(overlayErrors(report)).toEqual([[3, 'error']])
    expect(report.errors.find((e) => e.line === 3)?.message).toMatch(/deprecated form of helmCharts/)
    expect(renderedPods(report)).toEqual(['rel-plain-pod'])
  })

  it('a generators: config of kind HelmChartInflationGenerator cannot make helm pull: the render fails, saying so', async () => {
    const helmRepo = await countingServer()
    const report = await scan({
      'palisade.yaml': HELM_ON,
      'overlay/kustomization.yaml': 'generators:\n  - helm.yaml\n',
      'overlay/helm.yaml': `apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata:\n  name: web\nname: web\nrepo: ${helmRepo.url}\nversion: 0.1.0\nreleaseName: rel\n`,
    })
    expect(helmRepo.requests()).toBe(0)
    expect(report.sources.find((s) => s.path === 'overlay')?.status).toBe('failed')
    expect(report.errors.map((e) => e.message).join('\n')).toMatch(/palisade: helm pull refused/)
  })

  it('with Helm support off (the default) the chart is an error at its entry and the rest of the overlay is rendered', async () => {
    const report = await scan({
      'overlay/kustomization.yaml': 'resources:\n  - pod.yaml\nhelmCharts:\n  - name: web\n    releaseName: rel\n',
      'overlay/pod.yaml': CHART['templates/pod.yaml'].replace('{{ .Release.Name }}', 'rel-plain'),
      ...chartAt('overlay/charts/web'),
    })
    expect(overlayErrors(report)).toEqual([[4, 'error']])
    expect(report.errors.find((e) => e.line === 4)?.message).toMatch(/render\.kustomize\.enableHelm/)
    expect(renderedPods(report)).toEqual(['rel-plain-pod'])
  })
})
