import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runInProcess } from '../../cli/in-process.test-support.js'

/** A template reading namespaceObject, as Gatekeeper's K8sNativeValidation (and a VAP) gives it. */
const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sfrozennamespace
spec:
  crd:
    spec:
      names:
        kind: K8sFrozenNamespace
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "namespaceObject == null || !has(namespaceObject.metadata.labels.frozen)"
                messageExpression: '"namespace " + namespaceObject.metadata.name + " is frozen"'
`
const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sFrozenNamespace
metadata:
  name: frozen
spec:
  match:
    kinds: [{apiGroups: [""], kinds: ["Pod", "Namespace"]}]
    namespaceSelector:
      matchLabels: {team: a}
`
const namespace = (name: string, labels: string): string =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {${labels}}\n`
const pod = (name: string, ns: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  containers:\n    - {name: c, image: nginx:1.25}\n`

describe('palisade scan gives a Gatekeeper template the namespace of the object', () => {
  it("as namespaceObject, from the run's Namespaces, where the namespaceSelector matches their labels", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-gk-ns-'))
    mkdirSync(path.join(dir, 'pol'))
    mkdirSync(path.join(dir, 'res'))
    writeFileSync(path.join(dir, 'pol', 'template.yaml'), TEMPLATE)
    writeFileSync(path.join(dir, 'pol', 'constraint.yaml'), CONSTRAINT)
    writeFileSync(
      path.join(dir, 'res', 'all.yaml'),
      [
        namespace('a-frozen', 'team: a, frozen: "yes"'),
        namespace('a-open', 'team: a'),
        namespace('b-frozen', 'team: b, frozen: "yes"'),
        pod('in-a-frozen', 'a-frozen'),
        pod('in-a-open', 'a-open'),
        // Not selected: its Namespace's labels do not match the selector.
        pod('in-b-frozen', 'b-frozen'),
      ].join('---\n'),
    )
    const r = await runInProcess(
      ['scan', 'res', '--policy-dir', 'pol', '--policies', 'secrets', '--format', 'json'],
      dir,
    )
    const json = JSON.parse(r.stdout) as { findings: { policy: string; message: string; line: number }[] }
    const found = json.findings.filter((f) => f.policy === 'frozen')
    // The Pod in the frozen namespace of team a, and nothing else: a Namespace, cluster-scoped, has no namespaceObject.
    expect(found.map((f) => f.message)).toEqual(['namespace a-frozen is frozen'])
    expect(found[0]?.line).toBe(19)
    expect(r.code).toBe(1)
  })
})
