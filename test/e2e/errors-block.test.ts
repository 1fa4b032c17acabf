import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'

// Fail closed: what Palisade could not read, parse, render or evaluate blocks the run
// (exit 1) and every report format says so, unless palisade.yaml says `errors: report`.

const PRIVILEGED_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  namespace: team\nspec:\n  containers:\n    - name: app\n      image: app:1.0.0\n      securityContext:\n        privileged: true\n'
const CLEAN_CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: team\n'

let dir: string
const at = (...parts: string[]): string => join(dir, ...parts)
const write = (file: string, text: string): void => {
  mkdirSync(join(at(file), '..'), { recursive: true })
  writeFileSync(at(file), text)
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-errors-'))
  write('broken/bad.yaml', 'kind: ConfigMap\nmetadata: [\n')
  write('reported/bad.yaml', 'kind: ConfigMap\nmetadata: [\n')
  write('reported/palisade.yaml', 'errors: report\n')
  write('overlay/pod.yaml', PRIVILEGED_POD)
  write('overlay/kustomization.yaml', 'resources:\n  - pod.yaml\n')
  write('remote/pod.yaml', PRIVILEGED_POD)
  // One resource kustomize cannot fetch: the overlay (and its privileged Pod) no longer renders.
  write('remote/kustomization.yaml', 'resources:\n  - pod.yaml\n  - https://127.0.0.1:9/nothing.yaml\n')
  write('kyverno/app/cm.yaml', CLEAN_CONFIGMAP)
  // verifyImages is not supported: the policy cannot be evaluated (status error), with action Audit.
  write(
    'kyverno/policies/verify.yaml',
    'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: verify-images\nspec:\n  validationFailureAction: Audit\n  rules:\n    - name: check\n      match:\n        any:\n          - resources:\n              kinds: [ConfigMap]\n      verifyImages:\n        - imageReferences: ["*"]\n',
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('errors block the run (fail closed)', () => {
  it('a path that does not exist is a usage error, not an empty pass', () => {
    const run = runCli(['scan', at('no-such-folder')])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/no-such-folder: no such file or folder/)
    expect(run.stdout).not.toMatch(/Not blocking/)
    expect(runCli(['scan', at('no-such-folder'), '--validate-schema']).code).toBe(2)
  })

  it('a run whose only file is broken YAML blocks, and every format says so', () => {
    const text = runCli(['scan', at('broken')])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/^Blocking: 1 error .* blocks\.$/m)
    expect(text.stdout).not.toMatch(/Not blocking/)

    const json = runCli(['scan', at('broken'), '-f', 'json'])
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout)
    expect(report.summary).toEqual(
      expect.objectContaining({ errors: 1, blocking: true, blockingFindings: 0, blockingErrors: 1 }),
    )
    expect(report.errors).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(/bad\.yaml$/),
        line: expect.any(Number),
        code: 'YAML_SYNTAX',
      }),
    ])

    const sarif = JSON.parse(runCli(['scan', at('broken'), '-f', 'sarif']).stdout)
    expect(sarif.runs[0].invocations[0].properties).toEqual({ blocking: true, blockingFindings: 0, blockingErrors: 1 })

    const junit = runCli(['scan', at('broken'), '-f', 'junit']).stdout
    expect(junit).toMatch(/<!-- palisade [^:]+: blocking \(0 findings, 1 errors\) -->/)
    expect(junit).toMatch(/<property name="blocking" value="true"/)

    const markdown = runCli(['scan', at('broken'), '-f', 'markdown'])
    expect(markdown.code).toBe(1)
    expect(markdown.stdout).toMatch(/^## Palisade: :x: 1 blocking error$/m)
  })

  it('--validate-schema on broken YAML blocks too', () => {
    const run = runCli(['scan', at('broken'), '--validate-schema'])
    expect(run.code).toBe(1)
    expect(run.stdout).not.toMatch(/Not blocking/)
  })

  it('palisade.yaml errors: report lists errors without blocking, and says so', () => {
    const run = runCli(['scan', at('reported'), '--config', at('reported', 'palisade.yaml')])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/errors: +1; reported only \(palisade\.yaml errors: report\)/)
    const json = JSON.parse(
      runCli(['scan', at('reported'), '--config', at('reported', 'palisade.yaml'), '-f', 'json']).stdout,
    )
    expect(json.summary).toEqual(expect.objectContaining({ errors: 1, blocking: false, blockingErrors: 0 }))
  })

  it('a remote resource added to an overlay with a privileged Pod does not turn exit 1 into 0', () => {
    expect(runCli(['scan', at('overlay')]).code).toBe(1)
    const run = runCli(['scan', at('remote'), '-f', 'json'])
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout)
    // Once, at the remote entry's line (line 3), not again at line 1 of the kustomization.
    expect(report.errors).toEqual([
      expect.objectContaining({ code: 'RENDER_FAILED', file: expect.stringMatching(/kustomization\.yaml$/), line: 3 }),
    ])
    expect(report.summary.blockingErrors).toBe(1)
  })

  it('palisade secrets: a file it could not read blocks, and the report and the exit code agree', () => {
    write('secrets/clean.yaml', CLEAN_CONFIGMAP)
    symlinkSync('loop.yaml', at('secrets', 'loop.yaml')) // points at itself: cannot be read
    const run = runCli(['secrets', '.'], { cwd: at('secrets') })
    expect(run.stdout).toMatch(/loop\.yaml:1:1 {2}error {2}FILE_UNREADABLE/)
    expect(run.stdout).toMatch(/^Blocking: 1 error .* blocks\.$/m)
    expect(run.code).toBe(1)
  })

  it('a policy that could not be evaluated (status error) blocks even when its action is audit', () => {
    const run = runCli(['scan', at('kyverno', 'app'), '--policy-dir', at('kyverno', 'policies'), '-f', 'json'])
    const report = JSON.parse(run.stdout)
    expect(report.findings).toEqual([
      expect.objectContaining({ policy: 'verify-images', status: 'error', action: 'audit' }),
    ])
    expect(report.summary).toEqual(expect.objectContaining({ blocking: true, blockingErrors: 1 }))
    expect(run.code).toBe(1)
  })
})
