import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import type { CliIo } from './io.js'
import { main } from './main.js'
import { corpusPath, hasCorpus } from '../testing/corpus.js'

// Trust on real repositories: the namespace a chart is rendered with, kustomize Components,
// one finding per source location, identities that survive generated names.

const temp = mkdtempSync(path.join(os.tmpdir(), 'palisade-gitops-trust-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

interface JsonFinding {
  policy: string
  action: string
  file: string
  line: number
  column: number
  fingerprint: string
  baseline?: string
  resource: { kind: string; name: string; namespace?: string }
  renders?: { application: string; environment?: string; action: string }[]
}
interface JsonReport {
  summary: { findings: number; checks: Record<string, number> }
  findings: JsonFinding[]
  fixed?: unknown[]
  sources?: { kind: string; name: string; status: string; reason?: string; path: string }[]
}

async function scan(args: string[], cwd: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (write: (s: string) => void): Writable =>
    new Writable({ write: (chunk: Buffer, _e, done) => (write(chunk.toString()), done()) })
  const io: CliIo = {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: new PassThrough(),
    cwd,
    // helm and kubectl from the project's .tools/bin; git for --baseline.
    env: { PATH: path.dirname(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim()) },
    now: () => new Date('2026-11-22T12:00:00Z'),
  }
  const code = await main(['scan', ...args, '--format', 'json'], io)
  if (stdout === '') throw new Error(stderr)
  return { code, report: JSON.parse(stdout) as JsonReport, stderr }
}

/** Write files (path → text) under a new folder named `name` in the temp folder. */
function repo(name: string, files: Record<string, string>): string {
  const dir = path.join(mkdtempSync(path.join(temp, 'case-')), name)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  return dir
}

const chart = (name: string): Record<string, string> => ({
  [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
  [`charts/${name}/values.yaml`]: 'image: nginx:1.27.0\n',
  [`charts/${name}/templates/deployment.yaml`]: [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}',
    '  namespace: {{ .Release.Namespace }}',
    'spec:',
    '  selector: { matchLabels: { app: web } }',
    '  template:',
    '    metadata: { labels: { app: web } }',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: {{ .Values.image }}',
    '',
  ].join('\n'),
})

describe('the namespace of a chart rendered on its own', () => {
  it('is unknown, not default: namespace policies skip it, and a namespace the application gives is used', async () => {
    const dir = repo('shop', {
      ...chart('alone'),
      ...chart('placed'),
      'apps/placed.yaml': [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata: { name: placed, namespace: argocd }',
        'spec:',
        '  project: default',
        '  source: { repoURL: "https://git.example.com/org/shop.git", path: charts/placed }',
        '  destination: { server: "https://kubernetes.default.svc", namespace: default }',
        '',
      ].join('\n'),
    })
    const { report } = await scan(
      ['.', '--policies', 'disallow-default-namespace,require-default-deny-network-policy'],
      dir,
    )
    const about = (policy: string): string[] =>
      report.findings.filter((f) => f.policy === policy).map((f) => `${f.resource.name}/${f.resource.namespace ?? '?'}`)
    // `placed` really is deployed to default (its Application says so); `alone` has no known namespace.
    expect(about('disallow-default-namespace')).toEqual(['placed/default'])
    expect(about('require-default-deny-network-policy')).toEqual(['placed/default'])
    // alone: skipped by both policies, neither failed nor passed (the one pass is the Application, in argocd)
    expect(report.summary.checks.skip).toBe(2)
    expect(report.summary.checks.pass).toBe(1)
  })
})

const deployment = (name: string): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: { name: ${name} }`,
    'spec:',
    '  selector: { matchLabels: { app: web } }',
    '  template:',
    '    metadata: { labels: { app: web } }',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:latest',
    '',
  ].join('\n')

describe('kustomize Components', () => {
  it('are rendered only through the kustomizations that use them; an unused one is not scanned, with a reason, not a failure', async () => {
    const component = (image: string): string =>
      [
        'apiVersion: kustomize.config.k8s.io/v1alpha1',
        'kind: Component',
        'images:',
        `  - name: nginx`,
        `    newTag: "${image}"`,
        '',
      ].join('\n')
    const dir = repo('demo', {
      'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'base/deployment.yaml': deployment('web'),
      'components/pinned/kustomization.yaml': component('1.27.0'),
      'components/unused/kustomization.yaml': component('1.26.0'),
      'overlay/kustomization.yaml': 'resources:\n  - ../base\ncomponents:\n  - ../components/pinned\n',
    })
    const { report } = await scan(['.', '--policies', 'disallow-latest-image-tag'], dir)
    const sources = (report.sources ?? []).map((s) => `${s.path} ${s.status}`)
    expect(sources).toEqual(expect.arrayContaining(['overlay scanned', 'components/unused unscanned']))
    expect(sources.filter((s) => s.endsWith('failed'))).toEqual([])
    expect(sources.some((s) => s.startsWith('components/pinned '))).toBe(false)
    expect(report.sources?.find((s) => s.path === 'components/unused')?.reason).toMatch(/Component/)
    // the component was applied through the overlay: the tag is pinned, nothing to report
    expect(report.findings).toEqual([])
  })
})

describe('each finding once', () => {
  const files = {
    'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'base/deployment.yaml': deployment('web'),
    'overlays/production/kustomization.yaml': 'resources:\n  - ../../base\nnamespace: shop\n',
    'overlays/staging/kustomization.yaml': 'resources:\n  - ../../base\nnamespace: shop-staging\n',
    'overlays/dev/kustomization.yaml': 'resources:\n  - ../../base\nnamespace: shop-dev\n',
  }

  it('a base in three overlays is one finding, listing its renders, with the strictest action', async () => {
    const dir = repo('shop', files)
    const { code, report } = await scan(['.', '--policies', 'disallow-latest-image-tag'], dir)
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.action}`)).toEqual(['base/deployment.yaml:11 deny'])
    expect(report.summary.findings).toBe(1)
    expect(report.findings[0]?.renders).toEqual([
      { application: 'kustomization overlays/dev', environment: 'dev', action: 'warn' },
      { application: 'kustomization overlays/production', environment: 'production', action: 'deny' },
      { application: 'kustomization overlays/staging', environment: 'staging', action: 'warn' },
    ])
    // the exit code follows the strictest render (production denies)
    expect(code).toBe(1)
  })

  it('text and markdown print it once, with its renders', async () => {
    const dir = repo('shop', files)
    let stdout = ''
    const io: CliIo = {
      stdout: new Writable({ write: (chunk: Buffer, _e, done) => ((stdout += chunk.toString()), done()) }),
      stderr: new Writable({ write: (_c, _e, done) => done() }),
      stdin: new PassThrough(),
      cwd: dir,
      env: {},
      now: () => new Date('2026-11-22T12:00:00Z'),
    }
    // In full (--verbose) and shown briefly (the default for a medium finding): once, with its renders.
    for (const extra of [['--verbose'], []]) {
      await main(['scan', '.', '--policies', 'disallow-latest-image-tag', '--no-color', ...extra], io)
      expect(stdout.split('\n').filter((l) => l.includes('base/deployment.yaml:11:'))).toHaveLength(1)
      expect(stdout).toContain(
        'in 3 renders: kustomization overlays/dev (dev, warn); kustomization overlays/production (production, deny)',
      )
      stdout = ''
    }
    await main(['scan', '.', '--policies', 'disallow-latest-image-tag', '--format', 'markdown'], io)
    const rows = stdout.split('\n').filter((l) => l.includes('base/deployment.yaml:11'))
    expect(rows).toHaveLength(1)
    // Markdown escapes the parentheses of cell text
    expect(rows[0]).toContain('<br>in 3 renders: kustomization overlays/dev \\(dev, warn\\)')
  })
})

describe('finding identity across revisions', () => {
  const git = (cwd: string, ...args: string[]): void => {
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, stdio: 'ignore' })
  }

  it('a chart whose pod names come from randAlphaNum: --baseline HEAD on an unchanged checkout has nothing new and nothing fixed', async () => {
    const dir = repo('rand', {
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/templates/test.yaml': [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: {{ .Release.Name }}-test-{{ randAlphaNum 5 | lower }}',
        'spec:',
        '  containers:',
        '    - name: curl',
        '      image: curlimages/curl:latest',
        '',
      ].join('\n'),
    })
    git(dir, 'init', '-q')
    git(dir, 'add', '-A')
    git(dir, 'commit', '-qm', 'chart')
    const { code, report } = await scan(['.', '--baseline', 'HEAD', '--policies', 'disallow-latest-image-tag'], dir)
    expect(report.findings.map((f) => f.baseline)).toEqual(['existing'])
    expect(report.fixed).toEqual([])
    expect(code).toBe(0)
  })

  it.skipIf(!hasCorpus())(
    'podinfo, unchanged: --baseline HEAD reports no new and no fixed findings, and exits 0',
    async () => {
      const dir = path.join(mkdtempSync(path.join(temp, 'podinfo-')), 'podinfo')
      cpSync(corpusPath('repos', 'podinfo'), dir, { recursive: true, filter: (src) => path.basename(src) !== '.git' })
      git(dir, 'init', '-q')
      git(dir, 'add', '-A')
      git(dir, 'commit', '-qm', 'podinfo')
      const { code, report } = await scan(['.', '--baseline', 'HEAD'], dir)
      expect(report.findings.length).toBeGreaterThan(0)
      expect(report.findings.filter((f) => f.baseline !== 'existing')).toEqual([])
      expect(report.fixed).toEqual([])
      expect(code).toBe(0)
    },
  )
})

describe('render progress', () => {
  it("--progress shows rendering on stderr without a terminal, and its count is the summary's", async () => {
    const dir = repo('shop', {
      ...chart('web'),
      'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'base/deployment.yaml': deployment('api'),
      'overlays/production/kustomization.yaml': 'resources:\n  - ../../base\n',
      'overlays/staging/kustomization.yaml': 'resources:\n  - ../../base\n',
    })
    let stdout = ''
    let stderr = ''
    const io: CliIo = {
      stdout: new Writable({ write: (chunk: Buffer, _e, done) => ((stdout += chunk.toString()), done()) }),
      stderr: new Writable({ write: (chunk: Buffer, _e, done) => ((stderr += chunk.toString()), done()) }),
      stdin: new PassThrough(),
      cwd: dir,
      env: {},
      now: () => new Date('2026-11-22T12:00:00Z'),
    }
    await main(['scan', '.', '--progress', '--no-color'], io)
    const renders = /\((\d+) renders in/.exec(stdout)?.[1]
    expect(renders).toBe('3')
    expect(stderr.split('\n')).toContain(`Rendering ${renders}/${renders}`)
    // without the flag and without a terminal, nothing
    stderr = ''
    await main(['scan', '.', '--no-color'], io)
    expect(stderr).toBe('')
  })
})
