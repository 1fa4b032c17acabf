import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { captureIo, GitFixture } from '../../src/testing/index.js'

// The gate (`scan --baseline`) applies the pull request's own palisade.yaml (docs/pr-gate.md:
// "both sides are checked with the head's policies and configuration"). So a stranger's PR
// can weaken what the gate then obeys; each such change must be called out as a
// requires-review finding, and the PR must not be able to soften the review of its own
// changes (the stricter review.action of base and head applies, with the base's owners).

const HEADER = 'apiVersion: palisade.dev/v1alpha1\nkind: Config\n'
const OWNERS = 'review:\n  owners:\n    - paths: ["**"]\n      owners: ["@acme/platform"]\n'
const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers: [{name: app, image: registry.example.com/app:1.0.0}]
`
const NOW = new Date('2026-06-01T12:00:00Z')

interface ReviewFinding {
  policy: string
  messageId: string
  path: string
  severity: string
  owners?: string[]
  message: string
  action: string
}

const repos: GitFixture[] = []
afterAll(() => repos.forEach((r) => r.cleanup()))

/** Commit `base` as palisade.yaml, then `head`, and run the gate; the requires-review findings and the exit code. */
async function gate(base: string, head: string | null): Promise<{ code: number; findings: ReviewFinding[] }> {
  const repo = new GitFixture()
  repos.push(repo)
  repo.write('palisade.yaml', HEADER + base)
  repo.write('apps/pod.yaml', POD)
  repo.commit('base')
  if (head === null) repo.git('rm', '-q', 'palisade.yaml')
  else repo.write('palisade.yaml', HEADER + head)
  repo.commit('head')
  const io = captureIo(repo.dir, {}, NOW)
  const code = await main(
    ['scan', '.', '--baseline', 'HEAD~1', '--policies', 'disallow-privileged-containers', '--format', 'json'],
    io,
  )
  expect(io.err()).toBe('')
  const report = JSON.parse(io.out()) as { findings: ReviewFinding[] }
  return { code, findings: report.findings.filter((f) => f.policy === 'requires-review') }
}

const ids = (findings: readonly ReviewFinding[]): string[] => findings.map((f) => `${f.messageId} ${f.path}`).sort()

describe('a pull request cannot soften the review of its own palisade.yaml', () => {
  it('lowering review.action from deny to warn in the same PR still denies (exit 1)', async () => {
    const base = `${OWNERS.replace('review:\n', 'review:\n  action: deny\n')}`
    const head = `policies:\n  disable: [disallow-latest-image-tag]\n${OWNERS.replace('review:\n', 'review:\n  action: warn\n')}`
    const { code, findings } = await gate(base, head)
    expect(ids(findings)).toEqual([
      'palisadeActionSoftened /review/action',
      'palisadePolicyDisabled /policies/disable/0',
    ])
    expect(findings.every((f) => f.action === 'deny')).toBe(true)
    expect(code).toBe(1)
  })

  it("changing review.owners is called out, and the findings name the base's owners", async () => {
    const head = `policies:\n  disable: [disallow-latest-image-tag]\n${OWNERS.replace('@acme/platform', '@stranger')}`
    const { findings } = await gate(OWNERS, head)
    expect(ids(findings)).toEqual([
      'palisadePolicyDisabled /policies/disable/0',
      'palisadeReviewChanged /review/owners',
    ])
    expect(findings.map((f) => f.owners)).toEqual([['@acme/platform'], ['@acme/platform']])
  })
})

describe('weakenings of palisade.yaml that the gate would obey are called out', () => {
  const ENVS = `environments:\n  - name: production\n    paths: ["apps/**"]\n  - name: dev\n    paths: ["dev/**"]\n    actions: {default: warn}\n`

  it('production paths mapped to dev', async () => {
    const head = ENVS.replace('["apps/**"]', '["prod/**"]').replace('["dev/**"]', '["dev/**", "apps/**"]')
    const { findings } = await gate(OWNERS + ENVS, OWNERS + head)
    expect(ids(findings)).toEqual([
      'palisadeEnvironmentChanged /environments/0',
      'palisadeEnvironmentChanged /environments/1',
    ])
  })

  it('a new environment put first that matches everything and audits', async () => {
    const head = ENVS.replace(
      'environments:\n',
      'environments:\n  - name: sandbox\n    paths: ["**"]\n    actions: {default: audit}\n',
    )
    const { findings } = await gate(OWNERS + ENVS, OWNERS + head)
    expect(ids(findings)).toEqual([
      'palisadeActionSoftened /environments/0/actions/default',
      'palisadeEnvironmentChanged /environments/0',
    ])
  })

  it("removing production's deny so a weaker global default applies", async () => {
    const base = `actions: {default: warn}\nenvironments:\n  - name: production\n    paths: ["apps/**"]\n    actions: {default: deny}\n`
    const head = `actions: {default: warn}\nenvironments:\n  - name: production\n    paths: ["apps/**"]\n`
    const { findings } = await gate(OWNERS + base, OWNERS + head)
    expect(ids(findings)).toEqual(['palisadeActionSoftened /actions/default'])
    expect(findings[0]?.message).toMatch(/now warn instead of deny \(production\)/)
  })

  it('a warn-first schedule extended past its end, or one whose lasting action softens', async () => {
    const rule = (until: string, then: string) =>
      `actions:\n  policies:\n    disallow-privileged-containers: {action: warn, until: "${until}", then: ${then}}\n`
    const extended = await gate(OWNERS + rule('2026-03-01', 'deny'), OWNERS + rule('2027-03-01', 'deny'))
    expect(ids(extended.findings)).toEqual(['palisadeActionSoftened /actions/policies/disallow-privileged-containers'])
    const lasting = await gate(OWNERS + rule('2027-03-01', 'deny'), OWNERS + rule('2027-03-01', 'warn'))
    expect(ids(lasting.findings)).toEqual(['palisadeActionSoftened /actions/policies/disallow-privileged-containers'])
    expect(lasting.findings[0]?.message).toMatch(/once its schedule ends/)
  })

  it('errors: report (what could not be checked stops blocking)', async () => {
    const { findings } = await gate(OWNERS, `errors: report\n${OWNERS}`)
    expect(ids(findings)).toEqual(['palisadeErrorsUnblocked /errors'])
  })

  it('policy parameters, rendering sources and image rules changed', async () => {
    const base = `policies:\n  params:\n    disallow-hardcoded-credentials: {entropyMinLength: 24}\nrender:\n  repoURLs: [https://git.example.com/acme/gitops]\nimages:\n  - match: ["registry.example.com/**"]\n    requireDigest: true\n`
    const head = `policies:\n  params:\n    disallow-hardcoded-credentials: {entropyMinLength: 200}\nrender:\n  repoURLs: [https://git.example.com/stranger/gitops]\n  chartMirrors: [{repository: https://charts.example.com, path: vendor/benign}]\nimages:\n  - match: ["registry.example.com/**"]\n    requireDigest: false\n`
    const { findings } = await gate(OWNERS + base, OWNERS + head)
    expect(ids(findings)).toEqual([
      'palisadeImagesRelaxed /images',
      'palisadeParamsChanged /policies/params/disallow-hardcoded-credentials',
      'palisadeRenderChanged /render/chartMirrors',
      'palisadeRenderChanged /render/repoURLs',
    ])
  })

  it('a waiver of every policy on every resource is called out as critical', async () => {
    const head = `${OWNERS}waivers:\n  - policy: "*"\n    reason: temporary\n    owner: someone\n    expires: "2099-12-31"\n`
    const { findings } = await gate(OWNERS, head)
    expect(ids(findings)).toEqual(['palisadeWaiverAdded /waivers/0'])
    expect(findings[0]?.severity).toBe('critical')
    expect(findings[0]?.message).toMatch(/covering every policy and every resource for over a year/)
  })

  it('a narrow waiver is high, and critical when it runs for over a year', async () => {
    const waiver = (expires: string) =>
      `${OWNERS}waivers:\n  - policy: disallow-privileged-containers\n    resources: {kind: Pod, name: web}\n    reason: node agent\n    owner: sre\n    expires: "${expires}"\n`
    const short = await gate(OWNERS, waiver('2026-09-01'))
    expect(short.findings.map((f) => [f.messageId, f.severity])).toEqual([['palisadeWaiverAdded', 'high']])
    const long = await gate(OWNERS, waiver('2030-01-01'))
    expect(long.findings.map((f) => [f.messageId, f.severity])).toEqual([['palisadeWaiverAdded', 'critical']])
    expect(long.findings[0]?.message).toMatch(/for over a year/)
  })

  it('commit signing trusts another allowed-signers file or a new OpenPGP key', async () => {
    const signing = (file: string, keys: string) =>
      `${OWNERS}signing:\n  allowedSigners: ${file}\n  openpgpKeys: [${keys}]\n`
    const { findings } = await gate(
      signing('.github/allowed_signers', 'keys/release.asc'),
      signing('docs/my_signers', 'keys/release.asc, docs/mine.asc'),
    )
    expect(ids(findings)).toEqual([
      'palisadeSigningRelaxed /signing/allowedSigners',
      'palisadeSigningRelaxed /signing/openpgpKeys/1',
    ])
  })

  it('store pointed at another folder (inside the repository: one outside is a config error, store-path-confined.test.ts)', async () => {
    const { findings } = await gate(OWNERS, `${OWNERS}store:\n  path: docs/other-store\n`)
    expect(ids(findings)).toEqual(['palisadeStoreChanged /store'])
  })

  it('deleting palisade.yaml is compared with the defaults the head then runs with', async () => {
    const base = `${OWNERS.replace('review:\n', 'review:\n  action: deny\n')}environments:\n  - name: dev\n    paths: ["overlays/dev/**"]\n`
    const { code, findings } = await gate(base, null)
    // The defaults' layout environments replace dev (which denied): dev now warns.
    expect(findings.map((f) => f.messageId)).toContain('palisadeEnvironmentChanged')
    expect(findings.map((f) => f.messageId)).toContain('palisadeActionSoftened')
    expect(findings.every((f) => f.action === 'deny' && f.owners?.[0] === '@acme/platform')).toBe(true)
    expect(code).toBe(1)
  })

  it('reports nothing for a palisade.yaml rewritten without weakening it', async () => {
    const base = `policies:\n  params:\n    disallow-hardcoded-credentials: {entropyMinLength: 24, entropyBitsPerChar: 4.2}\nactions: {default: warn}\n${ENVS}`
    const head = `# reordered, and stricter\nactions:\n  default: deny\n  severity: {critical: deny}\npolicies:\n  params:\n    disallow-hardcoded-credentials: {entropyBitsPerChar: 4.2, entropyMinLength: 24}\n${ENVS}`
    const { findings } = await gate(OWNERS + base, OWNERS + head)
    expect(findings).toEqual([])
  })
})
