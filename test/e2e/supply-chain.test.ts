import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { runTool, startRegistry } from '../../src/testing/index.js'
import { runCli } from './run-cli.js'
import { podReview, startServe } from './webhook-process.js'

/**
 * The acceptance test of issue 20, against a real registry and the real cosign: images
 * pushed with crane, some signed with `cosign sign --key`, one with an SBOM attestation;
 * Palisade's verdicts are compared with `cosign verify` for every image.
 */
// Built by the supply project's setup (test/supply-setup.ts) when Go is there; else it said why in one line.
const enabled = inject('supplyTools')

interface TestImage {
  name: string
  ref: string
  digest: string
  /** What `cosign verify --key keyA.pub` said: true = exit 0. */
  cosign?: boolean
}

describe.skipIf(!enabled)('supply chain against a local registry and cosign', () => {
  let work: string
  let repo: string
  let registry: { host: string; stop(): void }
  const images = new Map<string, TestImage>()
  const cosignEnv = (): Record<string, string> => ({
    HOME: work,
    COSIGN_PASSWORD: '',
    TUF_ROOT: path.join(work, 'tuf'),
    SIGSTORE_NO_CACHE: '1',
  })

  const push = (name: string, content: string): TestImage => {
    const dir = path.join(work, 'layers', name)
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'app.txt'), content)
    const tar = path.join(work, 'layers', `${name}.tar`)
    expect(spawnSync('tar', ['-C', dir, '-cf', tar, 'app.txt']).status).toBe(0)
    const tagged = `${registry.host}/shop/${name}:v1`
    const pushed = runTool('crane', ['append', '-f', tar, '-t', tagged])
    expect(pushed.code, pushed.stderr).toBe(0)
    const digest = pushed.stdout.trim().split('@')[1] as string
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const image = { name, ref: `${registry.host}/shop/${name}@${digest}`, digest }
    images.set(name, image)
    return image
  }
  const sign = (image: TestImage, key: string): void => {
    const r = runTool(
      'cosign',
      ['sign', '--key', key, '--tlog-upload=false', '--yes', '--allow-insecure-registry', image.ref],
      cosignEnv(),
    )
    expect(r.code, r.stderr).toBe(0)
  }
  const git = (args: string[], date?: string): void => {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
    }
    const r = spawnSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: repo, env, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
  }
  const deployment = (name: string, image: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector:\n    matchLabels: { app: ${name} }\n  template:\n    metadata:\n      labels: { app: ${name} }\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'palisade-supply-'))
    repo = path.join(work, 'repo')
    mkdirSync(repo)
  })

  beforeAll(async () => {
    registry = await startRegistry()
    for (const k of ['keyA', 'keyB']) {
      const dir = path.join(work, k)
      mkdirSync(dir)
      const r = spawnSync(path.join(process.cwd(), '.tools/supply/bin/cosign'), ['generate-key-pair'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', ...cosignEnv() },
        encoding: 'utf8',
      })
      expect(r.status, r.stderr).toBe(0)
    }
    const signed = push('signed', 'signed by A')
    sign(signed, path.join(work, 'keyA/cosign.key'))
    push('unsigned', 'nobody signed this')
    sign(push('otherkey', 'signed by B'), path.join(work, 'keyB/cosign.key'))
    sign(push('fresh', 'signed by A, never in staging'), path.join(work, 'keyA/cosign.key'))
    const both = push('both', 'signed by B, then by A')
    sign(both, path.join(work, 'keyB/cosign.key'))
    sign(both, path.join(work, 'keyA/cosign.key'))
    const attested = push('attested', 'an SBOM attestation by A, no signature')
    // An SBOM attestation beside the signature: its .att tag must not confuse signature discovery.
    writeFileSync(
      path.join(work, 'sbom.json'),
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        version: 1,
        components: [{ type: 'library', name: 'app' }],
      }),
    )
    const att = runTool(
      'cosign',
      [
        'attest',
        '--key',
        path.join(work, 'keyA/cosign.key'),
        '--type',
        'cyclonedx',
        '--predicate',
        path.join(work, 'sbom.json'),
        '--tlog-upload=false',
        '--yes',
        '--allow-insecure-registry',
        signed.ref,
      ],
      cosignEnv(),
    )
    expect(att.code, att.stderr).toBe(0)
    writeFileSync(
      path.join(work, 'sbom-shell.json'),
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        version: 1,
        components: [
          { type: 'library', name: 'app' },
          { type: 'application', name: 'busybox' },
        ],
      }),
    )
    const attOnly = runTool(
      'cosign',
      [
        'attest',
        '--key',
        path.join(work, 'keyA/cosign.key'),
        '--type',
        'cyclonedx',
        '--predicate',
        path.join(work, 'sbom-shell.json'),
        '--tlog-upload=false',
        '--yes',
        '--allow-insecure-registry',
        attested.ref,
      ],
      cosignEnv(),
    )
    expect(attOnly.code, attOnly.stderr).toBe(0)
    for (const image of images.values()) {
      const v = runTool(
        'cosign',
        [
          'verify',
          '--key',
          path.join(work, 'keyA/cosign.pub'),
          '--insecure-ignore-tlog=true',
          '--allow-insecure-registry',
          image.ref,
        ],
        cosignEnv(),
      )
      image.cosign = v.code === 0
    }

    // The GitOps repository: staging ran signed, unsigned and otherkey for three days; production is the pull request.
    mkdirSync(path.join(repo, 'keys'))
    copyFileSync(path.join(work, 'keyA/cosign.pub'), path.join(repo, 'keys/cosign.pub'))
    writeFileSync(
      path.join(repo, 'palisade.yaml'),
      `environments:\n  - name: production\n    paths: ["clusters/production/**"]\n  - name: staging\n    paths: ["clusters/staging/**"]\n    actions: { default: deny }\nimages:\n  - match: ["${registry.host}/**"]\n    environments: [production]\n    signatures: { keys: [keys/cosign.pub] }\n    promotion: { from: staging, minSoak: 48h }\n  - match: ["${registry.host}/**"]\n    signatures: { keys: [keys/cosign.pub] }\n`,
    )
    mkdirSync(path.join(repo, 'clusters/staging'), { recursive: true })
    for (const name of ['signed', 'unsigned', 'otherkey']) {
      writeFileSync(
        path.join(repo, `clusters/staging/${name}.yaml`),
        deployment(name, (images.get(name) as TestImage).ref),
      )
    }
    git(['init', '-q', '-b', 'main'])
    git(['add', '.'])
    const threeDaysAgo = new Date(Date.now() - 72 * 3_600_000).toISOString()
    git(['commit', '-q', '-m', 'staging'], threeDaysAgo)
    mkdirSync(path.join(repo, 'clusters/production'), { recursive: true })
    for (const name of ['signed', 'unsigned', 'otherkey', 'fresh', 'both', 'attested']) {
      writeFileSync(
        path.join(repo, `clusters/production/${name}.yaml`),
        deployment(name, (images.get(name) as TestImage).ref),
      )
    }
    writeFileSync(
      path.join(repo, 'clusters/production/tagged.yaml'),
      deployment('tagged', `${registry.host}/shop/signed:v1`),
    )
    git(['add', '.'])
    git(['commit', '-q', '-m', 'promote'])
  }, 600_000)

  afterAll(() => {
    registry?.stop()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  const scan = (extra: string[] = []) => {
    const r = runCli(
      [
        'scan',
        'clusters',
        '--format',
        'json',
        '--no-render',
        '--registry',
        registry.host,
        '--image-cache',
        path.join(work, 'cache'),
        ...extra,
      ],
      { cwd: repo, env: { HOME: work } },
    )
    expect(r.code === 0 || r.code === 1, r.stderr).toBe(true)
    const report = JSON.parse(r.stdout) as {
      findings: {
        policy: string
        status: string
        file: string
        line: number
        message: string
        resource: { name: string }
        environment?: string
      }[]
    }
    return {
      code: r.code,
      findings: report.findings.filter(
        (f) =>
          f.file.includes('production') &&
          ['verify-image-signatures', 'require-image-digest', 'require-promoted-image'].includes(f.policy),
      ),
    }
  }
  const policiesOf = (findings: { policy: string; resource: { name: string } }[], name: string): string[] =>
    [...new Set(findings.filter((f) => f.resource.name === name).map((f) => f.policy))].sort()

  it('gives each production manifest the verdict of its policy, at the line of the image field', () => {
    const { code, findings } = scan()
    expect(code).toBe(1)
    expect(findings.filter((f) => f.resource.name === 'signed')).toEqual([])
    expect(policiesOf(findings, 'signed')).toEqual([])
    expect(policiesOf(findings, 'unsigned')).toEqual(['verify-image-signatures'])
    expect(policiesOf(findings, 'otherkey')).toEqual(['verify-image-signatures'])
    expect(policiesOf(findings, 'fresh')).toEqual(['require-promoted-image'])
    expect(policiesOf(findings, 'tagged')).toContain('require-image-digest')
    expect(findings.every((f) => f.status === 'fail' && f.line === 15)).toBe(true)
  })

  it('agrees with cosign verify on every image of the test set', () => {
    const { findings } = scan()
    const table = [...images.values()].map((image) => ({
      image: image.name,
      cosign: image.cosign,
      palisade: !findings.some((f) => f.resource.name === image.name && f.policy === 'verify-image-signatures'),
      message:
        findings.find((f) => f.resource.name === image.name && f.policy === 'verify-image-signatures')?.message ??
        'verified',
    }))
    expect(table.map((t) => t.palisade)).toEqual(table.map((t) => t.cosign))
    expect(
      table
        .filter((t) => t.cosign)
        .map((t) => t.image)
        .sort(),
    ).toEqual(['both', 'fresh', 'signed'])
    process.stdout.write(
      `verdicts (true = verified):\n${table.map((t) => `  ${t.image}: cosign ${t.cosign} palisade ${t.palisade} (${t.message})`).join('\n')}\n`,
    )
  })

  it('reads the SBOM attestations Cosign attached, signed by the trusted key, for reports rules', () => {
    writeFileSync(
      path.join(repo, 'reports.yaml'),
      `images:\n  - match: ["${registry.host}/**"]\n    signatures: { keys: [keys/cosign.pub] }\n    reports: { noShell: true }\n`,
    )
    const r = runCli(
      [
        'scan',
        'clusters/production/signed.yaml',
        'clusters/production/attested.yaml',
        'clusters/production/unsigned.yaml',
        '--config',
        'reports.yaml',
        '--format',
        'json',
        '--no-render',
        '--registry',
        registry.host,
        '--image-cache',
        path.join(work, 'cache'),
      ],
      { cwd: repo, env: { HOME: work } },
    )
    const shell = (
      JSON.parse(r.stdout) as { findings: { policy: string; status: string; resource: { name: string } }[] }
    ).findings.filter((f) => f.policy === 'disallow-shell-in-production-images')
    expect(shell.map((f) => `${f.resource.name}:${f.status}`).sort()).toEqual(['attested:fail', 'unsigned:error'])
  })

  it('--offline answers from the cache, and blocks what is not in it', () => {
    scan()
    const offline = runCli(
      [
        'scan',
        'clusters/production/signed.yaml',
        '--format',
        'json',
        '--no-render',
        '--offline',
        '--image-cache',
        path.join(work, 'cache'),
      ],
      { cwd: repo, env: { HOME: work } },
    )
    expect(
      JSON.parse(offline.stdout).findings.filter((f: { policy: string }) => f.policy === 'verify-image-signatures'),
    ).toEqual([])
    const empty = runCli(
      [
        'scan',
        'clusters/production/signed.yaml',
        '--format',
        'json',
        '--no-render',
        '--offline',
        '--image-cache',
        path.join(work, 'empty-cache'),
      ],
      { cwd: repo, env: { HOME: work } },
    )
    const errors = JSON.parse(empty.stdout).findings.filter(
      (f: { policy: string; status: string }) => f.policy === 'verify-image-signatures',
    )
    expect(errors.map((f: { status: string }) => f.status)).toEqual(['error'])
    expect(empty.code).toBe(1)
  })

  it('never reaches a registry the command line did not allow', () => {
    const r = runCli(
      [
        'scan',
        'clusters/production/signed.yaml',
        '--format',
        'json',
        '--no-render',
        '--image-cache',
        path.join(work, 'other-cache'),
      ],
      { cwd: repo, env: { HOME: work } },
    )
    const found = JSON.parse(r.stdout).findings.filter(
      (f: { policy: string }) => f.policy === 'verify-image-signatures',
    )
    expect(found.map((f: { status: string; message: string }) => [f.status, /not allowed/.test(f.message)])).toEqual([
      ['error', true],
    ])
    expect(r.code).toBe(1)
  })

  it('palisade serve gives the same verdicts at admission, and answers the warm path from memory', async () => {
    const serve = await startServe(
      [
        '--insecure-http',
        '--no-watch',
        '--policies',
        'verify-image-signatures',
        '--registry',
        registry.host,
        '--image-cache',
        path.join(work, 'serve-cache'),
      ],
      repo,
    )
    try {
      const verdict = async (name: string, image: string): Promise<{ allowed: boolean; message: string }> => {
        const object = {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace: 'shop' },
          spec: {
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
          },
        }
        const res = await fetch(`http://127.0.0.1:${serve.port}/validate/production`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(podReview(`uid-${name}`, object, { username: 'ci' })),
        })
        const review = (await res.json()) as { response: { allowed: boolean; status?: { message?: string } } }
        return { allowed: review.response.allowed, message: review.response.status?.message ?? '' }
      }
      const image = (name: string): string => (images.get(name) as TestImage).ref
      expect(await verdict('signed', image('signed'))).toEqual({ allowed: true, message: '' })
      for (const [name, policy] of [
        ['unsigned', 'verify-image-signatures'],
        ['otherkey', 'verify-image-signatures'],
        ['fresh', 'require-promoted-image'],
      ] as const) {
        const v = await verdict(name, image(name))
        expect(v.allowed, name).toBe(false)
        expect(v.message, name).toContain(policy)
      }
      const tagged = await verdict('tagged', `${registry.host}/shop/signed:v1`)
      expect(tagged.allowed).toBe(false)
      expect(tagged.message).toContain('require-image-digest')
      // Warm: the registry is gone, and the verdicts do not change (answered from the live facts).
      registry.stop()
      expect(await verdict('signed', image('signed'))).toEqual({ allowed: true, message: '' })
      expect((await verdict('unsigned', image('unsigned'))).allowed).toBe(false)
    } finally {
      serve.child.kill()
      await serve.exited
    }
  })
})
