import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { collectTestRows } from '../app/index.js'

/** Write files below a fresh folder; returns the folder. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-celtest-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), text)
  }
  return dir
}

const rowsOf = async (dir: string): Promise<{ resource: string; actual: string; outcome: string; reason?: string }[]> =>
  (await collectTestRows(dir, { cwd: dir, now: () => new Date('2026-12-01T00:00:00Z') })).rows.map((r) => ({
    resource: r.resource,
    actual: r.actual,
    outcome: r.outcome,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
  }))

const mpol = (name: string, extra: string, expression: string): string => `apiVersion: policies.kyverno.io/v1alpha1
kind: MutatingPolicy
metadata: {name: ${name}}
spec:
${extra}  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [namespaces]}
  mutations:
  - patchType: ApplyConfiguration
    applyConfiguration:
      expression: ${JSON.stringify(expression)}
`

describe('palisade test with Kyverno MutatingPolicy and GeneratingPolicy', () => {
  it('compares patched resources as Kyverno does: a differing result is a fail, met when the test expects fail', async () => {
    const dir = tree({
      'policy.yaml': mpol('label', '', 'Object{metadata: Object.metadata{labels: {"team": "core"}}}'),
      't/resources.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n',
      't/good.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: other, labels: {team: core}}\n',
      't/bad.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {team: nope}}\n',
      't/kyverno-test.yaml': `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [../policy.yaml]
resources: [resources.yaml]
results:
- {policy: label, kind: Namespace, resources: [a], result: pass, patchedResources: good.yaml, isMutatingPolicy: true}
- {policy: label, kind: Namespace, resources: [b], result: fail, patchedResources: bad.yaml, isMutatingPolicy: true}
- {policy: label, kind: Namespace, resources: [b], result: pass, patchedResources: bad.yaml, isMutatingPolicy: true}
`,
    })
    const rows = await rowsOf(dir)
    expect(rows.map((r) => `${r.resource} ${r.actual} ${r.outcome}`)).toEqual([
      'a pass met',
      'b fail met',
      'b fail unmet',
    ])
    expect(rows[2]?.reason).toMatch(
      /bad.yaml: resource differs from the expected one at \/metadata\/labels\/team \(expected "nope", got "core"\)/,
    )
  })

  it('reinvokes a policy with reinvocationPolicy IfNeeded when a later policy changed the object', async () => {
    const copy = 'Object{metadata: Object.metadata{labels: {"copy": object.metadata.?labels.?source.orValue("none")}}}'
    const files = (reinvoke: string): Record<string, string> => ({
      'copy.yaml': mpol('copy', reinvoke, copy),
      'source.yaml': mpol('source', '', 'Object{metadata: Object.metadata{labels: {"source": "s"}}}'),
      't/resources.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n',
      't/patched.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {copy: s, source: s}}\n',
      't/kyverno-test.yaml': `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [../copy.yaml, ../source.yaml]
resources: [resources.yaml]
results:
- {policy: copy, kind: Namespace, resources: [a], result: pass, patchedResources: patched.yaml, isMutatingPolicy: true}
`,
    })
    expect((await rowsOf(tree(files('  reinvocationPolicy: IfNeeded\n')))).map((r) => r.outcome)).toEqual(['met'])
    expect((await rowsOf(tree(files('')))).map((r) => r.reason)).toEqual([
      expect.stringMatching(/labels\/copy \(expected "s", got "none"\)/),
    ])
  })

  it('compares what a GeneratingPolicy would generate, and reads namespaces from a values file of kind Value', async () => {
    const dir = tree({
      'policy.yaml': `apiVersion: policies.kyverno.io/v1alpha1
kind: GeneratingPolicy
metadata: {name: gen}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  variables:
  - {name: team, expression: "namespaceObject.metadata.labels.team"}
  generate:
  - expression: >-
      generator.Apply(object.metadata.namespace, [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": object.metadata.name + "-owner"}, "data": {"team": variables.team}}])
`,
      't/resources.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec: {}\n',
      't/generated.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api-owner, namespace: shop}\ndata: {team: payments}\n',
      't/values.yaml':
        'apiVersion: cli.kyverno.io/v1alpha1\nkind: Value\nnamespaces:\n- {apiVersion: v1, kind: Namespace, metadata: {name: shop, labels: {team: payments}}}\n',
      't/kyverno-test.yaml': `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [../policy.yaml]
resources: [resources.yaml]
variables: values.yaml
results:
- {policy: gen, kind: Deployment, resources: [api], result: pass, generatedResource: generated.yaml, isGeneratingPolicy: true}
`,
    })
    expect(await rowsOf(dir)).toEqual([{ resource: 'api', actual: 'pass', outcome: 'met' }])
  })

  it("gives a ValidatingPolicy the namespace object of the resource's namespace, which exists even when the test does not list it", async () => {
    const dir = tree({
      'policy.yaml': `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: no-default}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - {expression: "namespaceObject.metadata.name != 'default'", message: not in default}
`,
      't/resources.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec: {containers: [{name: c, image: x}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p2, namespace: shop}\nspec: {containers: [{name: c, image: x}]}\n',
      't/kyverno-test.yaml': `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [../policy.yaml]
resources: [resources.yaml]
results:
- {policy: no-default, kind: Pod, resources: [p1], result: fail, isValidatingPolicy: true}
- {policy: no-default, kind: Pod, resources: [p2], result: pass, isValidatingPolicy: true}
`,
    })
    expect((await rowsOf(dir)).map((r) => `${r.resource} ${r.actual} ${r.outcome}`)).toEqual([
      'p1 fail met',
      'p2 pass met',
    ])
  })
})
