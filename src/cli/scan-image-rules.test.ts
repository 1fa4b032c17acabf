import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runInProcess } from './in-process.test-support.js'

/** `scan` with images: rules that need no registry: digests, scan reports and SBOMs, offline. */
const RULED =
  /^(require-image-digest|verify-image-signatures|require-promoted-image|disallow-vulnerable-images|disallow-shell-in-production-images)$/
const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const deployment = (name: string, image: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector:\n    matchLabels: { app: ${name} }\n  template:\n    metadata:\n      labels: { app: ${name} }\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`

describe('scan with images: rules', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'palisade-images-'))
    mkdirSync(path.join(dir, 'clusters/production'), { recursive: true })
    mkdirSync(path.join(dir, 'reports'))
    writeFileSync(
      path.join(dir, 'palisade.yaml'),
      'environments:\n  - name: production\n    paths: ["clusters/production/**"]\nimages:\n  - match: ["registry.example.com/**"]\n    reports: {maxSeverity: high, fixableOnly: true, noShell: true}\n',
    )
    writeFileSync(
      path.join(dir, 'clusters/production/clean.yaml'),
      deployment('clean', `registry.example.com/shop/clean@${A}`),
    )
    writeFileSync(
      path.join(dir, 'clusters/production/vuln.yaml'),
      deployment('vuln', `registry.example.com/shop/vuln@${B}`),
    )
    writeFileSync(
      path.join(dir, 'clusters/production/tag.yaml'),
      deployment('tag', 'registry.example.com/shop/tagged:1.0'),
    )
    writeFileSync(path.join(dir, 'clusters/production/other.yaml'), deployment('other', 'quay.io/other/app:1'))
    // Trivy for A: a critical without a fix (allowed by fixableOnly). Grype for B: a fixable critical, EOL base.
    writeFileSync(
      path.join(dir, 'reports/a.trivy.json'),
      JSON.stringify({
        SchemaVersion: 2,
        ArtifactName: `registry.example.com/shop/clean@${A}`,
        ArtifactType: 'container_image',
        Metadata: { OS: { Family: 'debian', Name: '12.5' }, RepoDigests: [`registry.example.com/shop/clean@${A}`] },
        Results: [
          {
            Target: 'debian',
            Vulnerabilities: [{ VulnerabilityID: 'CVE-2024-0001', PkgName: 'zlib', Severity: 'CRITICAL' }],
          },
        ],
      }),
    )
    writeFileSync(
      path.join(dir, 'reports/a.cdx.json'),
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        metadata: { component: { name: `registry.example.com/shop/clean@${A}`, type: 'container' } },
        components: [{ name: 'ca-certificates', type: 'library' }],
      }),
    )
    writeFileSync(
      path.join(dir, 'reports/b.grype.json'),
      JSON.stringify({
        matches: [
          {
            vulnerability: { id: 'CVE-2024-0002', severity: 'Critical', fix: { state: 'fixed', versions: ['3.0.9'] } },
            artifact: { name: 'openssl' },
          },
        ],
        source: { type: 'image', target: { userInput: 'registry.example.com/shop/vuln:1', manifestDigest: B } },
        distro: { name: 'alpine', version: '3.12' },
      }),
    )
    writeFileSync(
      path.join(dir, 'reports/b.spdx.json'),
      JSON.stringify({
        spdxVersion: 'SPDX-2.3',
        name: B,
        packages: [{ name: 'busybox' }, { name: 'apk-tools' }, { name: 'openssl' }],
      }),
    )
    writeFileSync(path.join(dir, 'reports/notes.json'), '{"hello": "world"}')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const scan = async (args: string[]) => {
    const run = await runInProcess(
      [
        'scan',
        'clusters',
        '--no-render',
        '--format',
        'json',
        '--offline',
        '--image-cache',
        path.join(dir, 'cache'),
        ...args,
      ],
      dir,
    )
    const report = JSON.parse(run.stdout) as {
      findings: { policy: string; status: string; line: number; resource: { name: string }; message: string }[]
      errors: { file?: string; message: string }[]
    }
    const by = (name: string): string[] =>
      report.findings
        .filter((f) => f.resource.name === name && RULED.test(f.policy))
        .map((f) => `${f.policy}:${f.status}`)
        .sort()
    return { run, report, by }
  }

  it('judges vulnerabilities, shells and digests from the reports, at the image line', async () => {
    const { run, report, by } = await scan(['--image-reports', 'reports'])
    expect(run.code).toBe(1)
    expect(by('clean')).toEqual([])
    expect(by('vuln')).toEqual(['disallow-shell-in-production-images:fail', 'disallow-vulnerable-images:fail'])
    expect(
      report.findings.find((f) => f.resource.name === 'vuln' && f.policy === 'disallow-shell-in-production-images')
        ?.message,
    ).toContain('apk-tools, busybox')
    // A tag in production: no digest (production default), and no report can be matched to it.
    expect(by('tag')).toEqual([
      'disallow-shell-in-production-images:error',
      'disallow-vulnerable-images:error',
      'require-image-digest:fail',
    ])
    expect(by('other')).toEqual([])
    expect(
      report.findings.filter((f) => RULED.test(f.policy) && f.resource.name !== 'other').every((f) => f.line === 15),
    ).toBe(true)
    expect(report.errors.map((e) => e.message)).toContainEqual(
      expect.stringContaining('notes.json is not a Trivy or Grype JSON report'),
    )
  })

  it('without --image-reports, a reports rule cannot be checked: errors, which block', async () => {
    const { run, by } = await scan([])
    expect(run.code).toBe(1)
    expect(by('clean')).toEqual(['disallow-shell-in-production-images:error', 'disallow-vulnerable-images:error'])
  })

  it('a waiver covers an image finding as any other', async () => {
    writeFileSync(
      path.join(dir, 'waived.yaml'),
      `${'environments:\n  - name: production\n    paths: ["clusters/production/**"]\nimages:\n  - match: ["registry.example.com/**"]\n    reports: {maxSeverity: high, fixableOnly: true}\n'}waivers:\n  - policy: disallow-vulnerable-images\n    resources: {name: vuln}\n    reason: openssl fix ships next sprint\n    owner: shop-team\n    expires: "2026-02-01"\n`,
    )
    const { report } = await scan(['--image-reports', 'reports', '--config', 'waived.yaml'])
    const f = report.findings.find(
      (x) => x.resource.name === 'vuln' && x.policy === 'disallow-vulnerable-images',
    ) as unknown as { waiver?: unknown }
    expect(f.waiver).toBeDefined()
  })
})
