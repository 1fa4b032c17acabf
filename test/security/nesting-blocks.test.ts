import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../e2e/run-cli.js'

// A document nested past the parser's limit is dropped. Dropping it must not make the scan
// pass: an attacker could hide a privileged Pod in a document padded to exceed the limit.

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-nesting-'))
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
  const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: team\n'
  const hidden = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  namespace: team\n  annotations:\n    pad: ${JSON.stringify('x')}\nspec:\n  containers:\n    - name: app\n      image: app:1.0.0\n      securityContext: {privileged: true}\n  padding: ${deep}\n`
  writeFileSync(join(dir, 'manifests.yaml'), `${clean}---\n${hidden}`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('hostile input: nesting past the limit', () => {
  it('the dropped document is an error that blocks (exit 1), reported with file and line', () => {
    const run = runCli(['scan', dir, '-f', 'json'])
    const report = JSON.parse(run.stdout)
    expect(report.errors.length).toBeGreaterThan(0)
    expect(report.errors[0]).toEqual(
      expect.objectContaining({ file: expect.stringMatching(/manifests\.yaml$/), line: expect.any(Number) }),
    )
    expect(report.summary.blocking).toBe(true)
    expect(run.code).toBe(1)
  })
})
