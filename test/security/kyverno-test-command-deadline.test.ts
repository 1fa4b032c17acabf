/**
 * Gap: `palisade test` ran the policies of a kyverno-test.yaml without the evaluation budget
 * that scan and serve use, so a hostile test policy (a foreach nested three deep over 200
 * containers: 8 million element evaluations) hung it for about a minute. Each policy now runs
 * under the same cost budget and deadline (--eval-timeout, default 2 s) on each resource, and
 * running out is an error row (unmet, whatever the expected result), never a pass.
 */
import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { ROOT } from '../e2e/run-cli.js'
import { NESTED_FOREACH_POLICY, podWithContainers, tempDir, writeFiles } from './hostile-fixtures.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const TEST = `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: nested-foreach
policies: [policy.yaml]
resources: [resources.yaml]
results:
  - policy: nested-foreach
    rule: no-empty-names
    kind: Pod
    resources: [wide, small]
    result: pass
`

interface Row {
  resource: string
  actual: string
  outcome: string
}

function paliTest(args: readonly string[]) {
  const { dir, remove } = tempDir('palisade-test-deadline-')
  cleanup = remove
  writeFiles(dir, {
    'tests/policy.yaml': NESTED_FOREACH_POLICY,
    'tests/resources.yaml': `${JSON.stringify(podWithContainers('wide', 200))}\n---\n${JSON.stringify(podWithContainers('small', 3))}\n`,
    'tests/kyverno-test.yaml': TEST,
  })
  const child = spawnSync(process.execPath, [`${ROOT}bin/palisade.js`, 'test', 'tests', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 45_000,
    killSignal: 'SIGKILL',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr }
}

describe('palisade test given a kyverno-test.yaml whose policy nests foreach three deep over 200 containers', () => {
  it('ends that row in an error under the default deadline (not a hang, not a pass) and checks the other resource', () => {
    const run = paliTest(['--format', 'json'])
    expect(run.signal, 'palisade test was killed after 45 s').toBeNull()
    expect(run.code).toBe(1)
    const rows = (JSON.parse(run.stdout) as { results: Row[] }).results
    expect(rows.map((r) => [r.resource, r.actual, r.outcome])).toEqual([
      ['wide', 'error', 'unmet'],
      ['small', 'pass', 'met'],
    ])
  })

  it('stops at the deadline --eval-timeout sets and says why in the text report', () => {
    const run = paliTest(['--eval-timeout', '1'])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /FAIL {4}nested-foreach\/no-empty-names {2}Pod\/wide {2}expected pass, got error {2}\(policy nested-foreach stopped on Pod wide: evaluation time limit exceeded \(1 ms\)\)/,
    )
  })
})
