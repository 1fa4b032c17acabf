import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from '../../src/testing/index.js'
import { runCli } from './run-cli.js'

// Errors of the user's making: exit 2 with a clear message, never exit 3 with a stack trace.

const PRIVILEGED_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  namespace: team\nspec:\n  containers:\n    - name: app\n      image: app:1.0.0\n      securityContext:\n        privileged: true\n'
const NO_TRACE = /internal error|\n\s+at /

let dir: string
let repo: GitFixture
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-usage-'))
  writeFileSync(join(dir, 'pod.yaml'), PRIVILEGED_POD)
  writeFileSync(join(dir, 'existing-file'), 'not a folder\n')
  writeFileSync(
    join(dir, 'invalid.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team\nspec:\n  replicas: two\n  selector: {}\n  template: {}\n',
  )
  repo = new GitFixture()
  repo.write('a.txt', 'a\n')
  repo.write(
    'allowed_signers',
    'dev@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n',
  )
  repo.commit('one')
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  repo.cleanup()
})

describe('usage errors exit 2 with a clear message', () => {
  const missing = '/nonexistent/dir/report.out'

  it.each([
    ['scan', ['scan', 'pod.yaml', '-o', missing]],
    ['secrets', ['secrets', 'pod.yaml', '-o', missing]],
  ])('%s -o into a folder that does not exist', (_name, args) => {
    const run = runCli(args, { cwd: dir })
    expect(run.stderr).toContain(`cannot write ${missing}: its folder does not exist`)
    expect(run.stderr).not.toMatch(NO_TRACE)
    expect(run.code).toBe(2)
  })

  it('verify-commits -o into a folder that does not exist', () => {
    const run = runCli(['verify-commits', 'HEAD', '--allowed-signers', 'allowed_signers', '-o', missing], {
      cwd: repo.dir,
      env: repo.env as Record<string, string>,
    })
    expect(run.stderr).toContain(`cannot write ${missing}: its folder does not exist`)
    expect(run.stderr).not.toMatch(NO_TRACE)
    expect(run.code).toBe(2)
  })

  it('export vap -o onto an existing file', () => {
    const run = runCli(['export', 'vap', '-o', 'existing-file', '-p', 'pss-baseline'], { cwd: dir })
    expect(run.stderr).toContain('cannot write existing-file: a file of that name is in the way')
    expect(run.stderr).not.toMatch(NO_TRACE)
    expect(run.code).toBe(2)
  })

  it('-p unknown says so once', () => {
    const run = runCli(['scan', 'pod.yaml', '-p', 'no-such-policy'], { cwd: dir })
    expect(run.stderr.match(/unknown policy or policy set "no-such-policy"/g)).toHaveLength(1)
    expect(run.stderr).toMatch(/hint: known sets/)
    expect(run.code).toBe(2)
  })

  it('--schema-strict without --validate-schema is a usage error, not silently ignored', () => {
    const run = runCli(['scan', 'pod.yaml', '--schema-strict'], { cwd: dir })
    expect(run.stderr).toContain('--schema-strict only applies with --validate-schema')
    expect(run.code).toBe(2)
  })

  it('palisade test with no test file says so and exits 2', () => {
    const run = runCli(['test', '.'], { cwd: dir })
    expect(run.stderr).toContain('no kyverno-test.yaml or Gatekeeper suite.yaml found under .: nothing was tested')
    expect(run.code).toBe(2)
  })
})

describe('the verdict and the exit code agree', () => {
  it('an object that fails --validate-schema: exit 1 and the text says Blocking', () => {
    const run = runCli(['scan', 'invalid.yaml', '--validate-schema', '-p', 'disallow-latest-image-tag'], { cwd: dir })
    expect(run.stdout).toMatch(/^Blocking: 1 error .*\.$/m)
    expect(run.stdout).not.toMatch(/Not blocking/)
    expect(run.code).toBe(1)
  })
})
