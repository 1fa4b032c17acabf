import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { BUILTIN_POLICIES } from '../../src/policies/index.js'
import { ROOT, runCli } from '../e2e/run-cli.js'
import { podCreateReview, postJson, startServe } from '../e2e/webhook-process.js'
import { gitCommitAll, gitInit, hostileTree, privilegedPod } from './hostile-tree.js'

// A run in which no policy is evaluated checks nothing and passes everything: a scan, a
// pull-request gate, the pre-commit hook, a webhook that admits every request. A
// palisade.yaml (a stranger's pull request may bring one) that leaves no policy is a
// configuration error (exit 2) naming its file and line; `serve` refuses to start.
// Warn-first (every policy at warn or audit) and a narrower selection stay legitimate.

const ALL_IDS = BUILTIN_POLICIES.map((p) => p.id)
const DISABLE_ALL = `policies:\n  disable:\n${ALL_IDS.map((id) => `    - ${id}\n`).join('')}`
const DISABLE_PSS_BASELINE = (() => {
  const ids = BUILTIN_POLICIES.filter((p) => (p.sets ?? []).includes('pss-baseline')).map((p) => p.id)
  return `# narrowed to one set\npolicies:\n  select: pss-baseline\n  disable: [${ids.join(', ')}]\n`
})()

let tree: ReturnType<typeof hostileTree>
beforeEach(() => {
  tree = hostileTree('no-policy')
  tree.write('k8s/pod.yaml', privilegedPod('root-pod'))
})
afterEach(() => tree.cleanup())

const refusedAtLine = (stderr: string, line: number): void => {
  expect(stderr).toMatch(/no policies to run: policies\.disable turns off every policy/)
  expect(stderr).toContain(`palisade.yaml:${line}:`)
}

describe('a run left with no policy is refused', () => {
  it('scan: palisade.yaml disabling every policy is a configuration error at policies.disable', async () => {
    tree.write('palisade.yaml', DISABLE_ALL)
    const run = await runInProcess(['scan', 'k8s', '--config', 'palisade.yaml', '--format', 'json'], tree.dir)
    expect(run.code).toBe(2)
    refusedAtLine(run.stderr, 2)
    expect(run.stdout).toBe('')
  })

  it('scan: disabling every policy of the selected set is refused too, at its line', async () => {
    tree.write('palisade.yaml', DISABLE_PSS_BASELINE)
    const run = await runInProcess(['scan', 'k8s', '--config', 'palisade.yaml'], tree.dir)
    expect(run.code).toBe(2)
    refusedAtLine(run.stderr, 4)
    expect(run.stderr).toMatch(/policies\.select "pss-baseline" selects/)
  })

  it('scan: a --policies filter that palisade.yaml then disables entirely is refused', async () => {
    tree.write('palisade.yaml', 'policies:\n  disable: [disallow-privileged-containers]\n')
    const run = await runInProcess(
      ['scan', 'k8s', '--config', 'palisade.yaml', '--policies', 'disallow-privileged-containers'],
      tree.dir,
    )
    expect(run.code).toBe(2)
    refusedAtLine(run.stderr, 2)
    expect(run.stderr).toContain('--policies disallow-privileged-containers')
  })

  it('scan: policies.select none without --policy-dir names palisade.yaml, not a flag', async () => {
    tree.write('palisade.yaml', 'apiVersion: palisade.dev/v1alpha1\npolicies:\n  select: none\n')
    const run = await runInProcess(['scan', 'k8s', '--config', 'palisade.yaml'], tree.dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/palisade\.yaml:3:\d+: no policies to run: policies\.select "none" selects no built-in/)
  })

  it('the gate (scan --baseline): a pull request whose palisade.yaml disables everything fails with exit 2', async () => {
    gitInit(tree.dir)
    tree.write('palisade.yaml', 'policies:\n  select: all\n')
    gitCommitAll(tree.dir, 'base')
    tree.write('palisade.yaml', DISABLE_ALL)
    tree.write('k8s/pod2.yaml', privilegedPod('new-root-pod'))
    gitCommitAll(tree.dir, 'pr')
    const run = await runInProcess(['scan', '.', '--baseline', 'HEAD~1', '--format', 'json'], tree.dir)
    expect(run.code).toBe(2)
    refusedAtLine(run.stderr, 2)
  })

  it('the pre-commit hook: a staged palisade.yaml that disables everything stops the commit with exit 2', async () => {
    gitInit(tree.dir)
    tree.write('palisade.yaml', DISABLE_ALL)
    execFileSync('git', ['add', '-A'], { cwd: tree.dir })
    const run = await runInProcess(['hook', 'run', 'pre-commit'], tree.dir)
    expect(run.code).toBe(2)
    refusedAtLine(run.stderr, 2)
  })

  it('serve: a webhook with no policy refuses to start (exit 2) instead of admitting everything', () => {
    tree.write('palisade.yaml', DISABLE_ALL)
    const child = spawnSync(
      process.execPath,
      [`${ROOT}bin/palisade.js`, 'serve', '--insecure-http', '--port', '0', '--config', 'palisade.yaml'],
      { cwd: tree.dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } },
    )
    expect(child.status).toBe(2)
    refusedAtLine(child.stderr, 2)
  })

  it('serve: a reload to a configuration with no policy keeps the last good policies denying', async () => {
    expect(runCli(['certs', '--out', tree.dir]).code).toBe(0)
    const ca = readFileSync(join(tree.dir, 'ca.crt'))
    tree.write('palisade.yaml', 'actions:\n  default: deny\n')
    const serve = await startServe(
      ['--tls-cert', 'tls.crt', '--tls-key', 'tls.key', '--config', 'palisade.yaml'],
      tree.dir,
    )
    try {
      const pod = {
        name: 'p',
        namespace: 'shop',
        containers: [{ name: 'c', image: 'registry.example.com/c:1', securityContext: { privileged: true } }],
      }
      const allowed = async (uid: string) =>
        (
          (await postJson(serve.port, '/validate', podCreateReview(uid, pod, 'dev'), ca)).json.response as {
            allowed: boolean
          }
        ).allowed
      expect(await allowed('r-1')).toBe(false)
      writeFileSync(join(tree.dir, 'palisade.yaml.tmp'), DISABLE_ALL)
      renameSync(join(tree.dir, 'palisade.yaml.tmp'), join(tree.dir, 'palisade.yaml'))
      for (;;) {
        const failed = serve.logs.find((l) => l.level === 'error' && /reload failed/.test(String(l.msg)))
        if (failed) {
          expect(JSON.stringify(failed)).toMatch(/no policies to run/)
          break
        }
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(await allowed('r-2')).toBe(false)
    } finally {
      serve.child.kill('SIGTERM')
      await serve.exited
    }
  })
})

describe('legitimate configurations still run', () => {
  it('every policy at warn (warn first) runs every policy and does not block', async () => {
    tree.write('palisade.yaml', 'actions:\n  default: warn\n')
    const run = await runInProcess(['scan', 'k8s', '--config', 'palisade.yaml', '--format', 'json'], tree.dir)
    const report = JSON.parse(run.stdout) as { summary: { policies: number }; findings: { action: string }[] }
    expect(run.code).toBe(0)
    expect(report.summary.policies).toBe(
      ALL_IDS.filter((id) => BUILTIN_POLICIES.find((p) => p.id === id)?.stage !== 'experimental').length,
    )
    expect(report.findings.length).toBeGreaterThan(0)
    expect(report.findings.every((f) => f.action === 'warn')).toBe(true)
  })

  it('disabling all but one policy runs that policy', async () => {
    tree.write('palisade.yaml', DISABLE_ALL.replace('    - disallow-privileged-containers\n', ''))
    const run = await runInProcess(['scan', 'k8s', '--config', 'palisade.yaml', '--format', 'json'], tree.dir)
    const report = JSON.parse(run.stdout) as { summary: { policies: number }; findings: { policy: string }[] }
    expect(report.summary.policies).toBe(1)
    expect(report.findings.map((f) => f.policy)).toEqual(['disallow-privileged-containers'])
    expect(run.code).toBe(1)
  })

  it('the hook with only the credential policy selected still runs (its secret scan does that check)', async () => {
    gitInit(tree.dir)
    tree.write('palisade.yaml', 'policies:\n  select: disallow-hardcoded-credentials\n')
    execFileSync('git', ['add', '-A'], { cwd: tree.dir })
    const run = await runInProcess(['hook', 'run', 'pre-commit'], tree.dir)
    expect(run.stderr).not.toMatch(/no policies to run/)
    expect(run.code).toBe(0)
  })
})
