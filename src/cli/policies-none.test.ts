import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runInProcess } from './in-process.test-support.js'

// `--policies none` selects no built-in policy: for exporting or running only the
// policies of --policy-dir. Without them nothing would be exported or checked, which is a
// usage error (exit 2), never an empty export or a scan that passes everything.

const VAP = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations: [{expression: "object.spec.replicas <= 3", message: too many}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicas}
spec: {policyName: replicas, validationActions: [Deny]}
`
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: registry.example.com/app:1.0.0}]
`

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-none-'))
  mkdirSync(join(dir, 'policies'))
  writeFileSync(join(dir, 'policies/vap.yaml'), VAP)
  mkdirSync(join(dir, 'k8s'))
  writeFileSync(join(dir, 'k8s/deploy.yaml'), DEPLOYMENT)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('--policies none', () => {
  it('export vap --policies none --policy-dir exports the user policies alone', async () => {
    const run = await runInProcess(
      ['export', 'vap', '--policies', 'none', '--policy-dir', 'policies', '-o', 'out'],
      dir,
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Exported 1 policies to out:\n {2}replicas\n/)
    expect(readdirSync(join(dir, 'out'))).toEqual(['replicas.yaml'])
  })

  it('export vap --policies none without --policy-dir is a usage error and writes nothing', async () => {
    const run = await runInProcess(['export', 'vap', '--policies', 'none', '-o', 'out'], dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/nothing to export: --policies none/)
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })

  it('scan --policies none --policy-dir runs the user policies alone', async () => {
    const run = await runInProcess(
      ['scan', 'k8s', '--policies', 'none', '--policy-dir', 'policies', '--format', 'json'],
      dir,
    )
    const report = JSON.parse(run.stdout) as { findings: { policy: string }[]; summary: { policies: number } }
    expect(report.summary.policies).toBe(1)
    expect(report.findings.map((f) => f.policy)).toEqual(['replicas'])
    expect(run.code).toBe(1)
  })

  it('scan --policies none without --policy-dir is a usage error, not a scan that passes everything', async () => {
    const run = await runInProcess(['scan', 'k8s', '--policies', 'none'], dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/no policies to run: --policies none/)
  })

  it('an unknown set is still an error, and the hint names none', async () => {
    const run = await runInProcess(['export', 'vap', '--policies', 'nothing', '-o', 'out'], dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/unknown policy or policy set "nothing"/)
    expect(run.stderr).toMatch(/known sets: all, .*none/)
  })
})
