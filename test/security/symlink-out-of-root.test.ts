import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { gitCommitAll, gitInit, hostileTree, privilegedPod } from './hostile-tree.js'

// The scanned root is repo/; outside/ is next to it and must never be read through a link.
describe('symlinks that lead outside the scanned root', () => {
  let tree: ReturnType<typeof hostileTree>
  let repo: string
  beforeEach(() => {
    tree = hostileTree('symlink')
    repo = join(tree.dir, 'repo')
    tree.write('outside/secret-pod.yaml', privilegedPod('outside-marker-pod'))
    tree.write('outside/nested/more.yaml', privilegedPod('outside-nested-pod'))
    tree.write('repo/real/pod.yaml', privilegedPod('inside-pod'))
    symlinkSync(join(tree.dir, 'outside/secret-pod.yaml'), join(repo, 'g.yaml'))
    symlinkSync(join(tree.dir, 'outside'), join(repo, 'escape'))
    symlinkSync('real/pod.yaml', join(repo, 'inside-link.yaml'))
    mkdirSync(join(repo, 'sub'))
    symlinkSync('../real', join(repo, 'sub/inside-dir'))
  })
  afterEach(() => tree.cleanup())

  it('palisade scan reads neither the linked file nor the linked folder, names each link, and still follows links inside', async () => {
    for (const render of [[], ['--no-render']]) {
      const run = await runInProcess(['scan', 'repo', '--format', 'json', ...render], tree.dir)
      expect(run.stdout).not.toContain('outside-marker-pod')
      expect(run.stdout).not.toContain('outside-nested-pod')
      const out = JSON.parse(run.stdout) as {
        findings: { resource: { name: string }; file: string }[]
        errors: { file: string; message: string }[]
      }
      expect(out.findings.map((f) => f.resource.name)).toContain('inside-pod')
      const errorFiles = out.errors.map((e) => e.file)
      expect(errorFiles).toContain('repo/g.yaml')
      expect(errorFiles).toContain('repo/escape')
      expect(out.errors.some((e) => /outside the scanned root/.test(e.message))).toBe(true)
    }
  })

  it('palisade scan of an explicitly named link reads it: a path on the command line is a root', async () => {
    const run = await runInProcess(['scan', 'repo/g.yaml', '--format', 'json', '--no-render'], tree.dir)
    expect(run.stdout).toContain('outside-marker-pod')
  })

  it('an Argo CD directory application does not read a link out of its folder (the render path)', async () => {
    tree.write(
      'repo/apps/app.yaml',
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata: { name: plain, namespace: argocd }',
        'spec:',
        '  source: { repoURL: "https://git.example.com/org/repo.git", path: plain, targetRevision: HEAD }',
        '  destination: { server: "https://kubernetes.default.svc", namespace: plain }',
        '',
      ].join('\n'),
    )
    tree.write('repo/plain/pod.yaml', privilegedPod('plain-inside-pod'))
    symlinkSync(join(tree.dir, 'outside/secret-pod.yaml'), join(repo, 'plain/leak.yaml'))
    const run = await runInProcess(
      ['scan', 'repo', '--format', 'json', '--repo-url', 'https://git.example.com/org/repo.git'],
      tree.dir,
    )
    expect(run.stdout).not.toContain('outside-marker-pod')
    const out = JSON.parse(run.stdout) as { findings: { resource: { name: string } }[]; errors: { file: string }[] }
    expect(out.findings.map((f) => f.resource.name)).toContain('plain-inside-pod')
    expect(out.errors.map((e) => e.file)).toContain('repo/plain/leak.yaml')
  })

  it('--policy-dir is a root: a policy file linked from outside it is reported, not loaded', async () => {
    tree.write(
      'outside/policy.yaml',
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: outside-policy }\nspec:\n  rules: []\n',
    )
    tree.write(
      'policies/own.yaml',
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: own-policy }\nspec:\n  rules: []\n',
    )
    symlinkSync(join(tree.dir, 'outside/policy.yaml'), join(tree.dir, 'policies/linked.yaml'))
    const run = await runInProcess(
      ['scan', 'repo/real', '--no-render', '--policy-dir', 'policies', '--format', 'json'],
      tree.dir,
    )
    const out = JSON.parse(run.stdout) as { errors: { message: string }[] }
    expect(out.errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/policies\/linked\.yaml leads outside the scanned root/),
    )
  })

  it('palisade secrets in a Git repository does not follow tracked symlinks that point outside', async () => {
    tree.write('outside/token.env', `GITHUB_TOKEN=ghp_${'a1B2c3D4e5F6g7H8i9J0'}kLmNoPqRsTuVwX01\n`)
    symlinkSync(join(tree.dir, 'outside/token.env'), join(repo, 'token.env'))
    tree.write('repo/README.md', 'nothing here\n')
    gitInit(repo)
    gitCommitAll(repo)
    const run = await runInProcess(['secrets', '.', '--format', 'json'], repo)
    const out = JSON.parse(run.stdout) as { findings: { file: string }[]; errors: { file: string; message: string }[] }
    expect(out.findings.map((f) => f.file)).not.toContain('token.env')
    expect(out.errors.map((e) => e.file)).toContain('token.env')
  })
})
