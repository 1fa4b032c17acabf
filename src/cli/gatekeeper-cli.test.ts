import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runInProcess } from './in-process.test-support.js'

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sdisallowedtags
spec:
  crd:
    spec:
      names:
        kind: K8sDisallowedTags
      validation:
        openAPIV3Schema:
          type: object
          properties:
            tags: {type: array, items: {type: string}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sdisallowedtags
        violation[{"msg": msg}] {
          container := input.review.object.spec.containers[_]
          tag := split(container.image, ":")[1]
          tag == input.parameters.tags[_]
          msg := sprintf("container <%v> uses a disallowed tag <%v>", [container.name, tag])
        }
`
const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDisallowedTags
metadata:
  name: no-latest
spec:
  match:
    kinds: [{apiGroups: [""], kinds: ["Pod"]}]
  parameters:
    tags: ["latest"]
`
const POD = (name: string, image: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: apps
spec:
  containers:
    - name: app
      image: ${image}
`

function fixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-gk-'))
  mkdirSync(path.join(dir, 'pol'))
  mkdirSync(path.join(dir, 'res'))
  writeFileSync(path.join(dir, 'pol', 'template.yaml'), TEMPLATE)
  writeFileSync(path.join(dir, 'pol', 'constraint.yaml'), CONSTRAINT)
  writeFileSync(path.join(dir, 'pol', 'allowed.yaml'), POD('ok', 'nginx:1.25'))
  writeFileSync(path.join(dir, 'pol', 'disallowed.yaml'), POD('bad', 'nginx:latest'))
  writeFileSync(
    path.join(dir, 'pol', 'suite.yaml'),
    `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: tags
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: allowed
    object: allowed.yaml
    assertions:
    - violations: no
  - name: disallowed
    object: disallowed.yaml
    assertions:
    - violations: 1
      message: latest
`,
  )
  writeFileSync(path.join(dir, 'res', 'pods.yaml'), `${POD('ok', 'nginx:1.25')}---\n${POD('bad', 'nginx:latest')}`)
  return dir
}

describe('Gatekeeper in the CLI', () => {
  it('palisade test runs gator suites: met/unmet per assertion', async () => {
    const dir = fixture()
    const r = await runInProcess(['test', 'pol', '--format', 'json'], dir)
    const json = JSON.parse(r.stdout) as { summary: Record<string, unknown>; results: Record<string, unknown>[] }
    expect(json.summary).toMatchObject({ tests: 1, met: 2, unmet: 0 })
    expect(json.results.map((x) => `${x.rule}:${x.outcome}:${x.engine}`)).toEqual([
      'allowed:met:Rego',
      'disallowed:met:Rego',
    ])
    expect(r.code).toBe(0)
    writeFileSync(path.join(dir, 'pol', 'disallowed.yaml'), POD('bad', 'nginx:1.0'))
    const unmet = await runInProcess(['test', 'pol'], dir)
    expect(unmet.code).toBe(1)
    expect(unmet.stdout).toContain('FAIL')
    expect(unmet.stdout).toContain('expected violations: 1, message ~ /latest/, got 0 violations')
  })

  it('scan --policy-dir reports a constraint violation at the file and line of the field it names', async () => {
    const dir = fixture()
    const r = await runInProcess(
      ['scan', 'res', '--policy-dir', 'pol', '--policies', 'secrets', '--format', 'json'],
      dir,
    )
    const json = JSON.parse(r.stdout) as {
      findings: { policy: string; message: string; file: string; line: number; path: string }[]
    }
    const found = json.findings.filter((f) => f.policy === 'no-latest')
    expect(found.map((f) => f.message)).toEqual(['container <app> uses a disallowed tag <latest>'])
    expect(found[0]).toMatchObject({ file: 'res/pods.yaml', path: '/spec/containers/0', line: 18 })
    expect(r.code).toBe(1)
  })

  it('a constraint whose parameters break the template schema is an error with its file', async () => {
    const dir = fixture()
    writeFileSync(path.join(dir, 'pol', 'constraint.yaml'), CONSTRAINT.replace('tags: ["latest"]', 'tags: latest'))
    const r = await runInProcess(['scan', 'res', '--policy-dir', 'pol', '--policies', 'secrets'], dir)
    expect(r.stdout + r.stderr).toMatch(/constraint\.yaml.*spec\.parameters\.tags must be array/)
  })

  it('export vap lists a Rego-only template as not exportable', async () => {
    const dir = fixture()
    const r = await runInProcess(['export', 'vap', '--policies', 'secrets', '--policy-dir', 'pol', '-o', 'out'], dir)
    expect(r.stdout).toMatch(/ConstraintTemplate\/k8sdisallowedtags: the template has no K8sNativeValidation/)
    expect(readdirSync(path.join(dir, 'out')).some((f) => f.includes('k8sdisallowedtags'))).toBe(false)
  })
})
