import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countsOf, summarize } from '../core/index.js'
import { GitFixture } from '../testing/index.js'
import { runScan, type AppIo, type ScanOptions } from './index.js'

const io = (cwd: string): AppIo => ({
  stdin: Readable.from([]),
  cwd,
  env: {},
  now: () => new Date('2026-01-01T00:00:00Z'),
})
const options = (paths: string[], extra: Partial<ScanOptions> = {}): ScanOptions => ({
  paths,
  render: false,
  maxFileSize: 1 << 20,
  kubernetesVersion: '1.35',
  ...extra,
})

const POD = (image: string): string => `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers:
    - name: app
      image: ${image}
`
const TOKEN = 'ghp_' + 'Zx8Qw2Lk9Mn4Bv7Cx1Hj5Gf3Ds6Ap0Ty2Ui4'

describe('runScan', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-app-scan-'))
    writeFileSync(join(dir, 'pod.yaml'), POD('nginx:latest'))
    writeFileSync(join(dir, 'broken.yaml'), 'kind: Pod\nmetadata: [unclosed\n')
    writeFileSync(
      join(dir, 'secret.yaml'),
      `apiVersion: v1\nkind: Secret\nmetadata: { name: creds, namespace: shop }\nstringData:\n  token: ${TOKEN}\n`,
    )
    writeFileSync(join(dir, 'palisade.yaml'), 'failOn: high\n')
    mkdirSync(join(dir, 'policies'))
    writeFileSync(
      join(dir, 'policies', 'bad.yaml'),
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: bad }\nspec: { rules: 7 }\n',
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('returns a complete result: every problem in it, the summary counted from its findings and diagnostics', async () => {
    const { result, rule } = await runScan(options(['.'], { policyDir: 'policies' }), io(dir))
    expect(result.findings.length).toBeGreaterThan(0)
    expect(result.diagnostics.map((d) => d.span?.file)).toEqual(
      expect.arrayContaining(['broken.yaml', expect.stringContaining('bad.yaml')]),
    )
    // The user policy's problem comes first, as read before the inputs.
    expect(result.diagnostics[0]?.span?.file).toContain('bad.yaml')
    expect(result.summary).toEqual(summarize(countsOf(result.summary), result.findings, result.diagnostics))
    expect(result.summary.errors).toBeGreaterThan(0)
    expect(rule.failOn).toBe('high')
  })

  it('redacts: no credential in the source texts or the printed strings', async () => {
    const { result } = await runScan(options(['secret.yaml']), io(dir))
    expect(result.findings.some((f) => f.resource.kind === 'Secret')).toBe(true)
    const printed = JSON.stringify({
      findings: result.findings,
      diagnostics: result.diagnostics,
      sources: [...result.sources.values()],
    })
    expect(printed).not.toContain(TOKEN)
  })

  it('reports an unknown --env through onWarning and goes on', async () => {
    writeFileSync(join(dir, 'envs.yaml'), 'environments:\n  - name: production\n')
    const warnings: string[] = []
    const { result } = await runScan(
      options(['pod.yaml'], { config: 'envs.yaml', env: 'prod', onWarning: (m) => warnings.push(m) }),
      io(dir),
    )
    expect(warnings).toEqual([expect.stringContaining('environment "prod" is not defined')])
    expect(result.findings.every((f) => f.environment === 'prod')).toBe(true)
  })
})

describe('runScan with a baseline', () => {
  let repo: GitFixture
  let base: string
  beforeAll(() => {
    repo = new GitFixture()
    repo.write('a.yaml', POD('nginx:1.27'))
    base = repo.commit('base')
    repo.write('a.yaml', POD('nginx:latest'))
    repo.commit('head')
  })
  afterAll(() => repo.cleanup())

  it('marks new findings and counts the summary from the compared findings', async () => {
    const { result } = await runScan(
      options(['.'], { baseline: base, policies: 'disallow-latest-image-tag,require-run-as-non-root' }),
      io(repo.dir),
    )
    expect(result.findings.filter((f) => f.baseline === 'new').map((f) => f.policyId)).toEqual([
      'disallow-latest-image-tag',
    ])
    expect(result.findings.some((f) => f.baseline === 'existing')).toBe(true)
    expect(result.summary).toEqual(summarize(countsOf(result.summary), result.findings, result.diagnostics))
    expect(result.fixed).toEqual([])
  })
})
