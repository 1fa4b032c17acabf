/**
 * Hole: Kyverno wildcards were matched with backtracking regular expressions, and AnyIn /
 * AnyNotIn / AllIn / AllNotIn use the resource's own value as a pattern. One Pod annotation
 * of `*?*?…!` made a benign allow-list policy run for minutes, stalling the scan.
 * The scan runs in a child process so that, before the fix, the test fails on the time-out
 * instead of hanging the test runner.
 */
import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { ROOT } from '../e2e/run-cli.js'
import {
  ALLOW_LIST_POLICY,
  ALLOWED_TIER,
  HOSTILE_WILDCARD,
  podWithTier,
  tempDir,
  writeFiles,
} from './hostile-fixtures.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function scan(dir: string) {
  const child = spawnSync(
    process.execPath,
    [`${ROOT}bin/palisade.js`, 'scan', 'manifests', '--policy-dir', 'policies', '--format', 'json', '--no-render'],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, NO_COLOR: '1' },
    },
  )
  return { code: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr }
}

describe('Kyverno set operators with a wildcard taken from the resource', () => {
  it('finish a scan of a Pod whose annotation is an exponential-backtracking wildcard, and judge it', () => {
    const { dir, remove } = tempDir('palisade-hostile-wildcard-')
    cleanup = remove
    writeFiles(dir, {
      'policies/allowed-tiers.yaml': ALLOW_LIST_POLICY,
      'manifests/hostile.yaml': JSON.stringify(podWithTier(HOSTILE_WILDCARD, 'hostile')),
      'manifests/good.yaml': JSON.stringify(podWithTier(ALLOWED_TIER, 'good')),
      'manifests/wild.yaml': JSON.stringify(podWithTier('registry.internal.*-frontend', 'wild')),
    })
    const run = scan(dir)
    expect(run.signal, 'the scan was killed after 60 s').toBeNull()
    expect(run.code, run.stderr).toBe(1)
    const out = JSON.parse(run.stdout) as {
      findings: { policy: string; status?: string; resource: { name: string } }[]
    }
    const failing = out.findings
      .filter((f) => f.policy === 'allowed-tiers')
      .map((f) => f.resource.name)
      .sort()
    // The hostile value is not an allowed tier; a value that is, or whose wildcard covers one, passes.
    expect(failing).toEqual(['hostile'])
  })
})
