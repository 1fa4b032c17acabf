import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  environmentForName,
  environmentFromLayout,
  findTools,
  scanGitOps,
  type GitOpsScan,
  type GitOpsScanOptions,
} from './index.js'

const base = mkdtempSync(path.join(os.tmpdir(), 'palisade-discovery-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

/** A small GitOps repository written for these tests: one file per entry. */
const REPO: Record<string, string> = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'replicas: 1\nimage: nginx:1.27\nprivileged: false\n',
  'charts/web/values-staging.yaml': 'replicas: 2\n',
  'charts/web/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: {{ .Values.image }}',
    '          securityContext:',
    '            privileged: {{ .Values.privileged }}',
    '',
  ].join('\n'),
  'overlays/base/kustomization.yaml': 'resources: [pod.yaml]\n',
  'overlays/base/pod.yaml':
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  labels: { tier: "${tier:=bronze}", zone: "${zone}", literal: "$${zone}" }\nspec:\n  containers:\n    - name: api\n      image: api:1\n',
  'overlays/staging/kustomization.yaml': 'resources: [../base]\nnamePrefix: stg-\n',
  'overlays/production/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: pin.yaml\n',
  'overlays/production/pin.yaml':
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: api:1.0.3\n',
  'envs/blue/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blue\n',
  'envs/green/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: green\n',
  'argocd/appsets.yaml': [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: ApplicationSet',
    'metadata: { name: api }',
    'spec:',
    '  generators:',
    '    - list:',
    '        elements: [{ env: staging }, { env: production }]',
    '  template:',
    '    metadata: { name: "api-{{env}}" }',
    '    spec:',
    '      source: { repoURL: "https://git.example.com/org/demo-repo.git", path: "overlays/{{env}}" }',
    '      destination: { server: "https://{{env}}.k8s.example.com", namespace: "api-{{env}}" }',
    '---',
    'apiVersion: argoproj.io/v1alpha1',
    'kind: ApplicationSet',
    'metadata: { name: colours }',
    'spec:',
    '  goTemplate: true',
    '  generators:',
    '    - git: { repoURL: "git@git.example.com:org/demo-repo.git", revision: HEAD, directories: [{ path: "envs/*" }, { path: envs/green, exclude: true }] }',
    '  template:',
    '    metadata: { name: "{{ .path.basename }}" }',
    '    spec:',
    '      source: { repoURL: "git@git.example.com:org/demo-repo.git", path: "{{ .path.path }}" }',
    '      destination: { name: in-cluster, namespace: colours }',
    '---',
    'apiVersion: argoproj.io/v1alpha1',
    'kind: ApplicationSet',
    'metadata: { name: fleet }',
    'spec:',
    '  generators: [{ clusters: {} }]',
    '  template: { metadata: { name: x }, spec: { source: { repoURL: "https://git.example.com/org/demo-repo", path: charts/web } } }',
  ].join('\n'),
  'argocd/web.yaml': [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: { name: web-prod }',
    'spec:',
    '  sources:',
    '    - repoURL: https://git.example.com/org/demo-repo',
    '      path: charts/web',
    '      helm: { releaseName: web, valueFiles: [$values/values/prod.yaml], parameters: [{ name: replicas, value: "5" }] }',
    '    - repoURL: https://git.example.com/org/demo-repo',
    '      ref: values',
    '  destination: { name: prod-eu, namespace: web }',
    '---',
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: { name: elsewhere }',
    'spec:',
    '  source: { repoURL: https://git.example.com/org/other, path: k8s }',
    '  destination: { name: in-cluster }',
  ].join('\n'),
  'values/prod.yaml': 'image: nginx:1.27.3\nprivileged: true\n',
  '.palisadeignore': 'attic/\n',
  'attic/old/kustomization.yaml': 'resources: [gone.yaml]\n',
  'clusters/staging/sync.yaml': [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata: { name: flux-system, namespace: flux-system }',
    'spec: { url: "ssh://git@git.example.com/org/demo-repo" }',
    '---',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata: { name: api, namespace: flux-system }',
    'spec:',
    '  sourceRef: { kind: GitRepository, name: flux-system }',
    '  path: ./overlays/staging',
    '  targetNamespace: api-staging',
    '  postBuild: { substitute: { zone: eu-west-1 } }',
    '---',
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata: { name: web, namespace: web }',
    'spec:',
    '  chart: { spec: { chart: ./charts/web, sourceRef: { kind: GitRepository, name: flux-system, namespace: flux-system } } }',
    '  values: { replicas: 3 }',
  ].join('\n'),
}

let scan: GitOpsScan
const root = path.join(base, 'demo-repo')
const run = async (extra: Partial<GitOpsScanOptions> = {}): Promise<GitOpsScan> =>
  scanGitOps({
    roots: [root],
    tools: await findTools({}),
    display: (abs) => path.relative(root, abs),
    absolute: (displayed) => path.resolve(root, displayed),
    scratch: mkdtempSync(path.join(base, 's-')),
    concurrency: 2,
    now: () => performance.now(),
    ...extra,
  })

beforeAll(async () => {
  for (const [file, text] of Object.entries(REPO)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    writeFileSync(path.join(root, file), text)
  }
  scan = await run()
})

const find = (name: string) => scan.sources.filter((s) => s.name === name)

describe('Argo CD discovery', () => {
  it('expands a list generator into one application per element, each with its destination', () => {
    expect(find('api-staging')).toEqual([
      expect.objectContaining({
        kind: 'argocd-applicationset',
        path: 'overlays/staging',
        renderer: 'kustomize',
        environment: 'staging',
        cluster: 'https://staging.k8s.example.com',
        status: 'scanned',
      }),
    ])
    expect(find('api-production')).toEqual([
      expect.objectContaining({ path: 'overlays/production', environment: 'production', status: 'scanned' }),
    ])
    // Objects without a namespace are deployed to the destination namespace.
    const pod = scan.resources.find((r) => r.object.kind === 'Pod' && r.environment === 'production')
    expect(pod?.object.metadata).toMatchObject({ name: 'api', namespace: 'api-production' })
  })

  it('expands a git directory generator (goTemplate) with exclusions', () => {
    expect(find('blue')).toEqual([expect.objectContaining({ path: 'envs/blue', renderer: 'directory', resources: 1 })])
    expect(find('green')).toEqual([])
  })

  it('reports generators that need a live Argo CD, and sources in other repositories', () => {
    expect(find('fleet')).toEqual([
      expect.objectContaining({ status: 'unscanned', reason: expect.stringMatching(/clusters generator/) }),
    ])
    expect(find('elsewhere')).toEqual([
      expect.objectContaining({
        status: 'unscanned',
        reason: 'source in another repository',
        path: 'https://git.example.com/org/other//k8s',
      }),
    ])
  })

  it('renders multi-source Helm with $ref values files and parameters', () => {
    const deployment = scan.resources.find(
      (r) =>
        r.object.kind === 'Deployment' &&
        (r.object.metadata as { name: string }).name === 'web' &&
        r.environment === 'production',
    )
    expect(deployment?.object.spec).toMatchObject({
      replicas: 5,
      template: { spec: { containers: [{ image: 'nginx:1.27.3', securityContext: { privileged: true } }] } },
    })
    expect(find('web-prod')[0]).toMatchObject({
      environment: 'production',
      environmentReason: 'layout values/prod.yaml',
    })
    // privileged came from the $values file: the field points there.
    expect(deployment?.locate('/spec/template/spec/containers/0/securityContext/privileged')).toMatchObject({
      file: 'values/prod.yaml',
      start: { line: 2 },
    })
  })
})

describe('Flux discovery', () => {
  it('renders a Kustomization from this repository with its target namespace, in the cluster folder environment', () => {
    expect(find('api').find((s) => s.kind === 'flux-kustomization')).toMatchObject({
      path: 'overlays/staging',
      environment: 'staging',
      cluster: 'staging',
      namespace: 'api-staging',
    })
    const pod = scan.resources.find(
      (r) =>
        (r.object.metadata as { name: string }).name === 'stg-api' &&
        (r.object.metadata as { namespace?: string }).namespace === 'api-staging',
    )
    expect(pod?.file).toBe('overlays/base/pod.yaml')
    expect(pod?.locate('/spec/containers/0/image')).toMatchObject({
      file: 'overlays/base/pod.yaml',
      start: { line: 9 },
    })
    // postBuild.substitute, with defaults and escapes as Flux's envsubst
    const pods = scan.resources.filter(
      (r) => r.object.kind === 'Pod' && (r.object.metadata as { namespace?: string }).namespace === 'api-staging',
    )
    expect(pods.map((r) => (r.object.metadata as { labels: unknown }).labels)).toEqual(
      expect.arrayContaining([
        { tier: 'bronze', zone: 'eu-west-1', literal: '${zone}' }, // the Flux Kustomization
        { tier: '${tier:=bronze}', zone: '${zone}', literal: '$${zone}' }, // the ApplicationSet's api-staging: Argo CD does not substitute
      ]),
    )
  })

  it('renders a HelmRelease whose chart is in this repository with its values', () => {
    const release = find('web').find((s) => s.kind === 'flux-helmrelease')
    expect(release).toMatchObject({
      renderer: 'helm',
      path: 'charts/web',
      environment: 'staging',
      namespace: 'web',
      status: 'scanned',
    })
    const deployment = scan.resources.find(
      (r) => r.object.kind === 'Deployment' && (r.object.spec as { replicas: number }).replicas === 3,
    )
    // The value came from the HelmRelease's inline values: the field points there.
    expect(deployment?.locate('/spec/replicas')).toMatchObject({
      file: 'clusters/staging/sync.yaml',
      start: { line: 20 },
    })
    expect(deployment?.locate('/spec/template/spec/containers/0/image')).toMatchObject({
      file: 'charts/web/values.yaml',
      start: { line: 2 },
    })
  })
})

describe('standalone charts and overlays', () => {
  it('scans overlays no application covers, and chart values files per environment', () => {
    expect(find('web (values-staging.yaml)')).toEqual([
      expect.objectContaining({ environment: 'staging', environmentReason: 'values file values-staging.yaml' }),
    ])
    // overlays/base is used by other overlays: never scanned alone; attic/ is in .palisadeignore.
    expect(find('overlays/base')).toEqual([])
    expect(scan.sources.filter((s) => s.path.startsWith('attic'))).toEqual([])
  })

  it('points a field a patch set to the patch file', () => {
    const pod = scan.resources.find((r) => r.object.kind === 'Pod' && r.environment === 'production')
    expect(pod?.locate('/spec/containers/0/image')).toMatchObject({
      file: 'overlays/production/pin.yaml',
      start: { line: 8 },
    })
    expect(pod?.locate('/metadata/name')).toMatchObject({ file: 'overlays/base/pod.yaml', start: { line: 4 } })
  })

  it('--env puts every application in one environment', async () => {
    const forced = await run({ forceEnvironment: 'qa' })
    expect(new Set(forced.sources.filter((s) => s.status === 'scanned').map((s) => s.environment))).toEqual(
      new Set(['qa']),
    )
  })

  it('takes the environment from configuration before the layout', async () => {
    const configured = await run({
      environmentFor: ({ cluster }) =>
        cluster === 'prod-eu' ? { environment: 'eu', reason: 'palisade.yaml clusters' } : undefined,
    })
    expect(configured.sources.find((s) => s.name === 'web-prod')).toMatchObject({
      environment: 'eu',
      environmentReason: 'palisade.yaml clusters',
    })
  })
})

describe('layout environments', () => {
  it.each([
    ['clusters/production/apps.yaml', 'production'],
    ['environments/prod/kustomization.yaml', 'production'],
    ['overlays/staging', 'staging'],
    ['deploy/overlays/dev', 'dev'],
    ['charts/web/values-stage.yaml', 'staging'],
    ['clusters/prod-eu-1/apps.yaml', 'production'],
    ['apps/base/podinfo', undefined],
    ['products/web', undefined],
    // A path that leaves the repository (a chart mirror in /srv/staging-charts) says nothing.
    ['../../staging-charts/podinfo', undefined],
    ['../production/clusters/staging/apps.yaml', undefined],
  ])('%s → %s', (p, expected) => {
    expect(environmentFromLayout(p, [])?.environment).toBe(expected)
  })

  it('prefers configured names, and maps layout names onto them', () => {
    expect(environmentForName('prod', ['prod', 'stg'])).toBe('prod')
    expect(environmentForName('production', ['prod', 'stg'])).toBe('prod')
    expect(environmentForName('staging', ['prod', 'stg'])).toBe('stg')
    expect(environmentForName('canary', ['canary'])).toBe('canary')
    expect(environmentForName('canary', [])).toBeUndefined()
  })
})
