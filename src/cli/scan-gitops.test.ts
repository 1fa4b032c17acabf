import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { afterAll, describe, expect, it } from 'vitest'
import { corpusPath, hasCorpus } from '../testing/corpus.js'
import type { CliIo } from './io.js'
import { main } from './main.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const REPOS = corpusPath('repos')
const noCorpus = !hasCorpus()
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(path.join(ROOT, 'docs/schemas/scan-output.schema.json'), 'utf8')) as object,
)
const temp = mkdtempSync(path.join(os.tmpdir(), 'palisade-cli-gitops-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

interface JsonFinding {
  policy: string
  action: string
  file: string
  line: number
  environment?: string
  path: string
  fingerprint: string
  resource: { kind: string; name: string; namespace?: string }
  renders?: { application: string; environment: string | null; action: string }[]
}
interface JsonReport {
  findings: JsonFinding[]
  errors: { file?: string; line?: number; message: string; code?: string; severity?: string }[]
  sources?: {
    kind: string
    name: string
    status: string
    environment?: string
    renderer?: string
    reason?: string
    path: string
  }[]
  schema?: { valid: number; invalid: number; skipped: number }
}

async function run(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (write: (s: string) => void): Writable =>
    new Writable({ write: (chunk: Buffer, _e, done) => (write(chunk.toString()), done()) })
  const io: CliIo = {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: new PassThrough(),
    cwd,
    // Only the project-local .tools/bin for helm and kubectl (what `npm ci` installed); git for --baseline.
    env: { PATH: path.dirname(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim()) },
    now: () => new Date('2026-11-22T12:00:00Z'),
  }
  const code = await main(['scan', ...args], io)
  return { code, stdout, stderr }
}

const json = async (args: string[], cwd = ROOT): Promise<{ code: number; report: JsonReport }> => {
  const { code, stdout, stderr } = await run([...args, '--format', 'json'], cwd)
  if (stdout === '') throw new Error(stderr)
  const report = JSON.parse(stdout) as JsonReport
  // The added `sources` and `schema` fields are part of docs/schemas/scan-output.schema.json.
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true)
  return { code, report }
}

describe('palisade scan of GitOps repositories', () => {
  it('examples/gitops: production is clean, staging and dev only warn or audit (npm run example exits 0)', async () => {
    const { code, report } = await json(['examples/gitops'])
    expect(code).toBe(0)
    // production's only finding is the ingress controller's token, waived inline with a reason
    const production = report.findings.filter((f) => f.environment === 'production')
    expect(production.filter((f) => !('waiver' in f))).toEqual([])
    expect(production.map((f) => f.policy)).toEqual(['disallow-service-account-token-automount'])
    const staging = report.findings.filter((f) => f.environment === 'staging' && !('waiver' in f))
    expect(staging.map((f) => [f.policy, f.action, f.file])).toEqual(
      expect.arrayContaining([
        // the moving tag comes from the staging HelmRelease's inline values
        ['disallow-latest-image-tag', 'warn', 'examples/gitops/clusters/staging/ingress.yaml'],
        // the sidecar comes from the staging overlay's patch
        ['disallow-latest-image-tag', 'warn', 'examples/gitops/apps/ledger/overlays/staging/log-shipper.yaml'],
      ]),
    )
    expect(report.findings.filter((f) => f.action === 'deny' && !('waiver' in f))).toEqual([])
    expect(report.sources?.filter((s) => s.status === 'scanned').map((s) => `${s.kind} ${s.environment}`)).toEqual(
      expect.arrayContaining([
        'flux-kustomization production',
        'flux-kustomization staging',
        'flux-helmrelease production',
        'flux-helmrelease staging',
      ]),
    )
  })

  it.skipIf(noCorpus)(
    'podinfo: the same misconfiguration warns in dev and denies in production, with no configuration',
    async () => {
      const { report } = await json(['../shared/corpus/repos/podinfo'])
      // The overlays put podinfo in different namespaces (so fingerprints differ): compare by policy, kind, name and field.
      const actions = new Map<string, Map<string, string>>()
      for (const f of report.findings) {
        const key = `${f.policy} ${f.resource.kind}/${f.resource.name} ${f.path}`
        const m = actions.get(key) ?? new Map<string, string>()
        // A finding at the same line in several renders is reported once, listing each render's action.
        for (const r of f.renders ?? [{ environment: f.environment ?? null, action: f.action }])
          if (r.environment) m.set(r.environment, r.action)
        actions.set(key, m)
      }
      const differing = [...actions]
        .filter(([, m]) => m.get('dev') === 'warn' && m.get('production') === 'deny')
        .map(([k]) => k)
      expect(differing).toEqual(
        expect.arrayContaining([
          'require-read-only-root-filesystem Deployment/backend /spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem',
        ]),
      )
    },
  )

  it.skipIf(noCorpus)(
    'argocd-example-apps: renders the Helm and Kustomize apps, production from values-production.yaml, and lists what it could not render',
    async () => {
      // Without --verbose only the sources not scanned or failed are listed; --verbose lists every one.
      const brief = (await run(['../shared/corpus/repos/argocd-example-apps'])).stdout
      expect(brief).not.toMatch(/ {2}scanned\s+Argo CD Application/)
      expect(brief).toMatch(/failed\s+Argo CD Application example\.helm-dependency/)
      expect(brief).toMatch(/^ {2}and \d+ scanned sources \(--verbose lists every source\)$/m)
      const { stdout } = await run(['../shared/corpus/repos/argocd-example-apps', '--verbose'])
      expect(stdout).toMatch(/scanned\s+Argo CD Application example\.helm-guestbook: helm-guestbook \(helm\)/)
      expect(stdout).toMatch(
        /scanned\s+Argo CD Application example\.kustomize-guestbook: kustomize-guestbook \(kustomize\)/,
      )
      expect(stdout).toMatch(
        /scanned\s+Helm chart helm-guestbook \(values-production\.yaml\): helm-guestbook \(helm\)\s+env production/,
      )
      expect(stdout).toMatch(
        /not scanned Argo CD Application example\.plugin-nix: plugins\/nix\n\s+why: config management plugin "nix"/,
      )
      expect(stdout).toMatch(/failed\s+Argo CD Application example\.helm-dependency/)
      const { report } = await json(['../shared/corpus/repos/argocd-example-apps'])
      expect(
        report.findings.some(
          (f) =>
            f.renders?.some((r) => r.environment === 'production') === true &&
            f.file.endsWith('helm-guestbook/templates/deployment.yaml'),
        ),
      ).toBe(true)
      // Reported once, at the dependency in Chart.yaml (not again at the Application that renders the chart).
      expect(
        report.errors
          .filter((e) => /not vendored in .*helm-dependency/.test(e.message))
          .map((e) => [e.file?.replace(/^.*argocd-example-apps\//, ''), e.line]),
      ).toEqual([['helm-dependency/Chart.yaml', 28]])
    },
  )

  it.skipIf(noCorpus).each(['argocd-example-apps', 'flux2-kustomize-helm-example', 'podinfo'])(
    '%s: every finding names a file that exists',
    async (repo) => {
      const { report } = await json([`../shared/corpus/repos/${repo}`])
      for (const f of report.findings) expect(existsSync(path.resolve(ROOT, f.file)), f.file).toBe(true)
      expect(report.sources?.length).toBeGreaterThan(0)
    },
  )

  it.skipIf(noCorpus)(
    'flux2-kustomize-helm-example with a chart mirror: podinfo renders for production and its findings deny; --env staging warns',
    async () => {
      const config = path.join(temp, 'palisade.yaml')
      writeFileSync(
        config,
        `render:\n  chartMirrors:\n    - { repository: "https://stefanprodan.github.io/podinfo", chart: podinfo, path: ${path.join(REPOS, 'podinfo/charts/podinfo')} }\n`,
      )
      const production = await json(['../shared/corpus/repos/flux2-kustomize-helm-example', '--config', config])
      expect(
        production.report.sources?.find((s) => s.kind === 'flux-helmrelease' && s.name === 'podinfo'),
      ).toMatchObject({ status: 'scanned', environment: 'production' })
      // Deployments only: the chart's test Pods get random names on every render.
      const fromChart = production.report.findings.filter(
        (f) => f.environment === 'production' && f.resource.namespace === 'podinfo' && f.resource.kind === 'Deployment',
      )
      expect(fromChart.length).toBeGreaterThan(0)
      expect(new Set(fromChart.map((f) => f.action))).toEqual(new Set(['deny']))
      expect(production.code).toBe(1)
      const staging = await json([
        '../shared/corpus/repos/flux2-kustomize-helm-example',
        '--config',
        config,
        '--env',
        'staging',
      ])
      const again = staging.report.findings.filter((f) => fromChart.some((p) => p.fingerprint === f.fingerprint))
      expect(again.length).toBe(fromChart.length)
      expect(new Set(again.map((f) => f.action))).toEqual(new Set(['warn']))
    },
  )

  it.skipIf(noCorpus)(
    'flux2-kustomize-helm-example with a staging cluster beside production: each renders in its environment, the same finding warns in staging and denies in production',
    async () => {
      // The corpus copy holds production only; upstream also has clusters/staging and
      // apps/staging shaped like production. Derive them the same way, in a scratch copy.
      const repo = path.join(temp, 'flux-two-clusters')
      cpSync(path.join(REPOS, 'flux2-kustomize-helm-example'), repo, { recursive: true })
      for (const [from, to] of [
        ['clusters/production', 'clusters/staging'],
        ['apps/production', 'apps/staging'],
      ] as const) {
        cpSync(path.join(repo, from), path.join(repo, to), { recursive: true })
        for (const entry of readdirSync(path.join(repo, to), { recursive: true, withFileTypes: true })) {
          if (!entry.isFile()) continue
          const file = path.join(entry.parentPath, entry.name)
          writeFileSync(file, readFileSync(file, 'utf8').replaceAll('production', 'staging'))
        }
      }
      const config = path.join(temp, 'palisade-staging.yaml')
      writeFileSync(
        config,
        `render:\n  chartMirrors:\n    - { repository: "https://stefanprodan.github.io/podinfo", chart: podinfo, path: ${path.join(REPOS, 'podinfo/charts/podinfo')} }\n`,
      )
      const { report } = await json([repo, '--config', config], temp)
      const releases = (report.sources ?? []).filter((s) => s.kind === 'flux-helmrelease' && s.name === 'podinfo')
      expect(releases.map((s) => [s.environment, s.status]).sort()).toEqual([
        ['production', 'scanned'],
        ['staging', 'scanned'],
      ])
      // The same policy on the same field of the same Deployment is one finding, with one action per environment's render.
      const deployment = report.findings.filter(
        (f) => f.resource.kind === 'Deployment' && f.resource.namespace === 'podinfo',
      )
      expect(deployment.length).toBeGreaterThan(0)
      for (const f of deployment) {
        expect(f.renders?.map((r) => `${r.environment} ${r.action}`).sort()).toEqual([
          'production deny',
          'staging warn',
        ])
        expect(f.action).toBe('deny')
      }
    },
  )

  it.skipIf(noCorpus)(
    '--validate-schema checks rendered objects against the Kubernetes schema and skips custom resources',
    async () => {
      const { code, report } = await json([
        '../shared/corpus/repos/argocd-example-apps',
        '--validate-schema',
        '--kubernetes-version',
        '1.33',
        '--policies',
        'disallow-latest-image-tag',
        '--fail-on',
        'critical',
      ])
      expect(report.schema).toMatchObject({ invalid: 0 })
      expect(report.schema?.valid).toBeGreaterThan(50)
      expect(report.schema?.skipped).toBeGreaterThan(0)
      expect(
        report.errors.some((e) => /no schema for argoproj\.io\/v1alpha1 Rollout in Kubernetes 1\.33/.test(e.message)),
      ).toBe(true)
      // Schemas pass; the one chart whose dependencies are not vendored cannot be rendered, and that error blocks.
      expect(report.errors.filter((e) => e.severity === 'error').map((e) => e.code)).toEqual(['RENDER_FAILED'])
      expect(code).toBe(1)
    },
  )

  it('--validate-schema reports an invalid field at its line and exits 1', async () => {
    const file = path.join(temp, 'bad.yaml')
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: two\n  selector: {}\n  template: {}\n',
    )
    const { code, report } = await json([file, '--validate-schema', '--policies', 'disallow-latest-image-tag'])
    expect(report.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 6,
          message: expect.stringMatching(/Deployment\/web: \/spec\/replicas must be integer/),
        }),
      ]),
    )
    expect(code).toBe(1)
  })

  it('--no-render scans plain files only', async () => {
    const { report } = await json(['examples/gitops', '--no-render'])
    expect(report.sources).toBeUndefined()
    expect(report.findings.some((f) => f.file.includes('templates/'))).toBe(false)
  })

  it('--baseline renders the base commit too: findings the overlay already had are existing, only new ones are new', async () => {
    const repo = path.join(temp, 'baseline-repo')
    const write = (file: string, text: string): void => {
      mkdirSync(path.dirname(path.join(repo, file)), { recursive: true })
      writeFileSync(path.join(repo, file), text)
    }
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: repo,
        encoding: 'utf8',
      })
    write('base/kustomization.yaml', 'resources: [deploy.yaml]\n')
    write(
      'base/deploy.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers:\n        - { name: web, image: "web:1.0" }\n',
    )
    write('overlays/production/kustomization.yaml', 'resources: [../../base]\nnamespace: web\n')
    git('init', '-q', '-b', 'main')
    git('add', '.')
    git('commit', '-q', '-m', 'base')
    write(
      'overlays/production/kustomization.yaml',
      'resources: [../../base]\nnamespace: web\npatches:\n  - path: debug.yaml\n',
    )
    write(
      'overlays/production/debug.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    spec:\n      containers:\n        - { name: web, securityContext: { privileged: true } }\n',
    )
    git('add', '.')
    git('commit', '-q', '-m', 'debug')
    const { report } = await json(['.', '--baseline', 'HEAD~1'], repo)
    const baseline = (f: JsonFinding): string | undefined => (f as JsonFinding & { baseline?: string }).baseline
    const privileged = report.findings.filter((f) => f.policy === 'disallow-privileged-containers')
    expect(privileged.map((f) => [baseline(f), f.file, f.environment])).toEqual([
      ['new', 'overlays/production/debug.yaml', 'production'],
    ])
    const older = report.findings.filter((f) => f.policy === 'require-run-as-non-root')
    expect(older.map((f) => [baseline(f), f.file])).toEqual([['existing', 'base/deploy.yaml']])
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('')
  })

  it('a --helm path that does not exist is a usage error', async () => {
    const { code, stderr } = await run(['examples/gitops', '--helm', 'no/such/helm'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/--helm .*no executable file/)
  })
})
