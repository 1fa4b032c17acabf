import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureIo, GitFixture } from '../testing/index.js'
import { main } from './main.js'

// Acceptance: a real repository with a history. The base has existing findings; the head
// fixes one, adds one, moves a file, reorders documents and containers, and shifts every
// line. `scan --baseline` must report exactly one new and one fixed finding.
const POLICIES =
  'disallow-latest-image-tag,disallow-privileged-containers,disallow-host-namespaces,require-run-as-non-root'

const web = (
  order: 'deployment-first' | 'service-first',
  extra: { sidecar?: string; banner?: boolean } = {},
): string => {
  const sidecar = ['        - name: sidecar', `          image: ${extra.sidecar ?? 'envoy:1.30'}`]
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: web, namespace: shop }',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    ...(order === 'deployment-first'
      ? [
          '        - name: app',
          '          image: nginx:latest',
          '          securityContext: { privileged: true }',
          ...sidecar,
        ]
      : [
          ...sidecar,
          '        - name: app',
          '          image: nginx:latest',
          '          securityContext: { privileged: true }',
        ]),
  ].join('\n')
  const service = [
    'apiVersion: v1',
    'kind: Service',
    'metadata: { name: web, namespace: shop }',
    'spec: { ports: [{ port: 80 }] }',
  ].join('\n')
  const banner = extra.banner ? '# moved here from apps/web.yaml\n# owned by the shop team\n\n' : ''
  return `${banner}${(order === 'deployment-first' ? [deployment, service] : [service, deployment]).join('\n---\n')}\n`
}
const worker = (image: string): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: worker, namespace: shop }',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: w',
    `          image: ${image}`,
    '',
  ].join('\n')

interface JsonFinding {
  policy: string
  messageId: string
  baseline?: string
  file: string
  resource: { kind: string; name: string }
  fingerprint: string
}

describe('scan --baseline (acceptance)', () => {
  let repo: GitFixture
  let base: string

  beforeAll(() => {
    repo = new GitFixture()
    repo.write('apps/web.yaml', web('deployment-first'))
    repo.write('apps/worker.yaml', worker('busybox:latest'))
    base = repo.commit('base: two workloads with findings')
    repo.git('rm', '-q', 'apps/web.yaml')
    repo.write('deploy/frontend/web.yaml', web('service-first', { sidecar: 'envoy:latest', banner: true }))
    repo.write('apps/worker.yaml', `# pinned\n${worker('busybox:1.36')}`)
    repo.commit('head: move, reorder, fix one, add one')
  })
  afterAll(() => repo.cleanup())

  const scan = async (...args: string[]) => {
    const io = captureIo(repo.dir)
    const code = await main(['scan', '.', '--policies', POLICIES, '--baseline', base, ...args], io)
    return { code, out: io.out(), err: io.err() }
  }

  it('reports exactly one new and one fixed finding, the rest existing', async () => {
    const { code, out, err } = await scan('--format', 'json')
    expect(err).toBe('')
    const report = JSON.parse(out) as { findings: JsonFinding[]; fixed: JsonFinding[] }
    const fresh = report.findings.filter((f) => f.baseline === 'new')
    expect(fresh.map((f) => [f.policy, f.resource.name, f.file])).toEqual([
      ['disallow-latest-image-tag', 'web', 'deploy/frontend/web.yaml'],
    ])
    expect(report.fixed.map((f) => [f.policy, f.resource.name, f.file])).toEqual([
      ['disallow-latest-image-tag', 'worker', 'apps/worker.yaml'],
    ])
    const existing = report.findings.filter((f) => f.baseline === 'existing')
    // web: latest tag (app), privileged (app), runAsNonRoot missing (app and sidecar); worker: runAsNonRoot
    expect(existing.map((f) => `${f.policy}:${f.resource.name}`).sort()).toEqual([
      'disallow-latest-image-tag:web',
      'disallow-privileged-containers:web',
      'require-run-as-non-root:web',
      'require-run-as-non-root:web',
      'require-run-as-non-root:worker',
    ])
    expect(existing.filter((f) => f.resource.name === 'web').every((f) => f.file === 'deploy/frontend/web.yaml')).toBe(
      true,
    )
    expect(code).toBe(1) // the new finding denies
  })

  it('fails only on new findings', async () => {
    const { code } = await scan('--format', 'json', '--fail-on', 'high')
    expect(code).toBe(0) // the new finding is medium; every high and critical one existed in the base
    const plain = await main(
      ['scan', '.', '--policies', 'disallow-privileged-containers', '--baseline', base, '--format', 'json'],
      captureIo(repo.dir),
    )
    expect(plain).toBe(0) // privileged existed in the base: not new, so nothing blocks
    const without = await main(
      ['scan', '.', '--policies', 'disallow-privileged-containers', '--format', 'json'],
      captureIo(repo.dir),
    )
    expect(without).toBe(1)
  })

  it('writes a pull-request summary with counts and links', async () => {
    const { out } = await scan('--format', 'markdown')
    expect(out).toContain('1 new finding, 1 fixed finding, 5 existing findings.')
    // A reviewer sees what "new" is relative to: REF as given and the commit compared with.
    expect(out).toContain(`\n\nCompared with the baseline ${base} at \`${base.slice(0, 12)}\`: `)
    expect(out).toMatch(/^\| New \| 0 \| 0 \| 1 \| 0 \| 0 \| 1 \|$/m)
    expect(out).toMatch(/^\| Fixed \| 0 \| 0 \| 1 \| 0 \| 0 \| 1 \|$/m)
    expect(out).toMatch(/\[deploy\/frontend\/web\.yaml:\d+\]\(deploy\/frontend\/web\.yaml#L\d+\)/)
    const io = captureIo(repo.dir, {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/gitops',
      GITHUB_SHA: 'abc123',
    })
    await main(['scan', '.', '--policies', POLICIES, '--baseline', base, '--format', 'markdown'], io)
    expect(io.out()).toMatch(/\(https:\/\/github\.com\/acme\/gitops\/blob\/abc123\/deploy\/frontend\/web\.yaml#L\d+\)/)
  })

  it('reads the base from Git objects: the working tree and the index stay as they were', async () => {
    repo.write('apps/worker.yaml', worker('busybox:latest')) // unstaged edit: the head is the working tree
    const before = repo.git('status', '--porcelain=v1')
    const { out } = await scan('--format', 'json')
    const report = JSON.parse(out) as { findings: JsonFinding[]; fixed: JsonFinding[] }
    expect(report.fixed).toEqual([])
    expect(repo.git('status', '--porcelain=v1')).toBe(before)
    repo.git('checkout', '--', 'apps/worker.yaml')
  })

  it('reads REF from the repository that holds the scanned path, not the working folder', async () => {
    // The working folder is another repository, whose main~1 exists but holds none of these files.
    const elsewhere = new GitFixture()
    try {
      elsewhere.write('notes.txt', 'one\n')
      elsewhere.commit('one')
      elsewhere.write('notes.txt', 'two\n')
      elsewhere.commit('two')
      for (const cwd of [elsewhere.dir, elsewhere.home]) {
        const io = captureIo(cwd)
        const code = await main(
          ['scan', repo.dir, '--policies', POLICIES, '--baseline', 'main~1', '--format', 'json'],
          io,
        )
        expect(io.err()).toBe('')
        const report = JSON.parse(io.out()) as { findings: JsonFinding[]; fixed: JsonFinding[] }
        const fresh = report.findings.filter((f) => f.baseline === 'new')
        expect(fresh.map((f) => [f.policy, f.resource.name, f.file])).toEqual([
          ['disallow-latest-image-tag', 'web', join(repo.dir, 'deploy/frontend/web.yaml')],
        ])
        expect(report.fixed.map((f) => [f.policy, f.resource.name])).toEqual([['disallow-latest-image-tag', 'worker']])
        expect(code).toBe(1)
      }
      const io = captureIo(elsewhere.dir)
      expect(await main(['scan', repo.dir, '--baseline', 'no-such-branch'], io)).toBe(2)
      expect(io.err()).toContain(
        `unknown revision "no-such-branch" in the repository of the scanned paths (${repo.dir})`,
      )
      expect(io.err()).not.toMatch(/internal error|\n\s+at /)
    } finally {
      elsewhere.cleanup()
    }
  })

  it('says which ref is unknown', async () => {
    const io = captureIo(repo.dir)
    expect(await main(['scan', '.', '--baseline', 'no-such-branch'], io)).toBe(2)
    expect(io.err()).toContain('unknown revision "no-such-branch"')
  })
})
