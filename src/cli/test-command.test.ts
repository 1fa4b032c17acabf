import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { capturedIo, type CliRun } from './in-process.test-support.js'
import { testCommand } from './test-command.js'

function fixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-test-'))
  mkdirSync(path.join(dir, 'pol', '.kyverno-test'), { recursive: true })
  writeFileSync(
    path.join(dir, 'pol', 'policy.yaml'),
    `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-team}
spec:
  rules:
  - name: check-team
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: team label required
      pattern: {metadata: {labels: {team: "?*"}}}
`,
  )
  writeFileSync(
    path.join(dir, 'pol', '.kyverno-test', 'resources.yaml'),
    `apiVersion: v1
kind: Pod
metadata: {name: good, labels: {team: a}}
---
apiVersion: v1
kind: Pod
metadata: {name: bad}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: deploy}
spec: {template: {metadata: {labels: {team: a}}, spec: {containers: []}}}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
`,
  )
  writeFileSync(
    path.join(dir, 'pol', '.kyverno-test', 'kyverno-test.yaml'),
    `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [../policy.yaml]
resources: [resources.yaml]
results:
- {policy: require-team, rule: check-team, kind: Pod, resources: [good], result: pass}
- {policy: require-team, rule: check-team, kind: Pod, resources: [bad], result: fail}
- {policy: require-team, rule: check-team, kind: Deployment, resources: [deploy], result: pass}
- {policy: require-team, rule: check-team, kind: Service, resources: [svc], result: fail}
`,
  )
  return dir
}

async function run(args: string[], cwd: string): Promise<CliRun> {
  const { io, output } = capturedIo(cwd)
  let code = -1
  await testCommand(io, (c) => (code = c))
    .exitOverride()
    .parseAsync(args, { from: 'user' })
  return { code, ...output() }
}

describe('palisade test', () => {
  it('reports every expectation in the JSON contract, with vacuous rows for rules that never matched', async () => {
    const dir = fixture()
    const r = await run(['.', '--format', 'json'], dir)
    const json = JSON.parse(r.stdout) as { summary: Record<string, unknown>; results: Record<string, unknown>[] }
    expect(Object.keys(json.results[0] ?? {})).toEqual([
      'test',
      'policy',
      'rule',
      'resource',
      'kind',
      'expected',
      'actual',
      'outcome',
    ])
    expect(json.results.map((x) => `${x.resource}:${x.outcome}`)).toEqual([
      'good:met',
      'bad:met',
      'deploy:met',
      'svc:vacuous',
    ])
    expect(json.results[0]?.test).toBe('pol/.kyverno-test/kyverno-test.yaml')
    expect(json.summary).toMatchObject({ tests: 1, results: 4, met: 3, unmet: 0, vacuous: 1 })
    expect(r.code).toBe(0)
  })

  it('--strict counts vacuous rows as failures; an unmet expectation exits 1', async () => {
    const dir = fixture()
    expect((await run(['.', '--strict'], dir)).code).toBe(1)
    writeFileSync(
      path.join(dir, 'pol', '.kyverno-test', 'kyverno-test.yaml'),
      `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [../policy.yaml]
resources: [resources.yaml]
results:
- {policy: require-team, rule: check-team, kind: Pod, resources: [bad], result: pass}
- {policy: require-team, rule: check-team, kind: Pod, resources: [missing], result: pass}
`,
    )
    const r = await run(['pol'], dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('expected pass, got fail')
    expect(r.stdout).toContain('resource missing not found')
  })

  it('a policy that cannot be read is reported with its file and line', async () => {
    const dir = fixture()
    writeFileSync(
      path.join(dir, 'pol', 'policy.yaml'),
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: require-team}\nspec: {rules: []}\n',
    )
    const r = await run(['.'], dir)
    expect(r.stderr).toMatch(/pol\/policy\.yaml:1:1: .*has no spec\.rules/)
    expect(r.code).toBe(1)
  })
})
