import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../../core/index.js'
import { objects, policyOf, run, statuses } from '../test-helpers.test-support.js'
import { loadPolicyDocuments } from '../index.js'
import { readConstraint } from './constraint.js'
import { constraintPolicy } from './policy.js'
import { runSuite } from './suite.js'
import { readConstraintTemplate } from './template.js'

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels:
              type: array
              items:
                type: string
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels
        violation[{"msg": msg, "details": {"missing": missing}}] {
          provided := {label | input.review.object.metadata.labels[label]}
          required := {label | label := input.parameters.labels[_]}
          missing := required - provided
          count(missing) > 0
          msg := sprintf("you must provide labels: %v", [missing])
        }
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "variables.params.labels.all(l, has(variables.anyObject.metadata.labels) && l in variables.anyObject.metadata.labels)"
                messageExpression: '"you must provide labels: " + variables.params.labels.join(", ")'
`
const constraint = (extra = '', params = 'labels: ["owner"]'): string => `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: must-have-owner
spec:
  ${extra}
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Namespace", "Pod"]
  parameters:
    ${params}
`
const pod = (labels: Record<string, string> = {}, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
})

describe('Gatekeeper constraints as policies', () => {
  it('loads a template and its constraint from policy documents and fails the object that violates it', () => {
    const policy = policyOf(`${TEMPLATE}---\n${constraint()}`)
    expect(policy.kind).toBe('K8sRequiredLabels')
    expect(statuses(run(policy, pod()))).toEqual(['K8sRequiredLabels/must-have-owner=fail'])
    // K8sNativeValidation runs when the template has it.
    expect(run(policy, pod()).responses[0]?.message).toBe('you must provide labels: owner')
    expect(statuses(run(policy, pod({ owner: 'me' })))).toEqual(['K8sRequiredLabels/must-have-owner=pass'])
  })

  it('runs either engine of a template with the same verdicts, Rego with its own message', () => {
    const t = readConstraintTemplate(objects(TEMPLATE)[0] as KubeObject)
    const c = readConstraint(objects(constraint())[0] as KubeObject, t)
    const env = {
      operation: 'CREATE',
      oldObject: null,
      user: { username: '', groups: [] },
      namespaceLabels: {},
      objects: [],
    }
    for (const engine of ['Rego', 'K8sNativeValidation'] as const) {
      const p = constraintPolicy(t, c, engine)
      expect(p.run(pod(), env).map((r) => r.status)).toEqual(['fail'])
      expect(p.run(pod({ owner: 'x' }), env).map((r) => r.status)).toEqual(['pass'])
    }
    expect(constraintPolicy(t, c, 'Rego').run(pod(), env)[0]?.message).toBe('you must provide labels: {"owner"}')
  })

  it('rejects parameters that do not match the template schema, naming the field', () => {
    const loaded = loadPolicyDocuments(
      objects(`${TEMPLATE}---\n${constraint('', 'labels: "owner"')}`).map((object) => ({ object, file: 'gk.yaml' })),
    )
    expect(loaded.policies).toEqual([])
    expect(loaded.diagnostics.map((d) => d.message).join()).toMatch(
      /gk\.yaml: .*spec\.parameters\.labels must be array/,
    )
  })

  it('reports a constraint without its template, and Rego that does not parse, as load errors', () => {
    const orphan = loadPolicyDocuments(objects(constraint()).map((object) => ({ object, file: 'c.yaml' })))
    expect(orphan.diagnostics[0]?.message).toMatch(/no ConstraintTemplate/)
    const broken = TEMPLATE.replace('count(missing) > 0', 'count(missing > 0')
    const bad = loadPolicyDocuments(objects(broken).map((object) => ({ object, file: 't.yaml' })))
    expect(bad.diagnostics[0]?.message).toMatch(/t\.yaml: .*Rego rego does not parse: \d+:\d+/)
  })

  it('matches kinds, namespaces (globs), excludedNamespaces and labelSelector', () => {
    const policy = (match: string): ReturnType<typeof policyOf> =>
      policyOf(
        `${TEMPLATE}---\n${constraint().replace('  match:\n    kinds:\n      - apiGroups: [""]\n        kinds: ["Namespace", "Pod"]', `  match:\n${match}`)}`,
      )
    expect(statuses(run(policy('    namespaces: ["team-*"]'), pod({}, 'team-a')))).toEqual([
      'K8sRequiredLabels/must-have-owner=fail',
    ])
    expect(statuses(run(policy('    namespaces: ["team-*"]'), pod({}, 'other')))).toEqual([])
    expect(statuses(run(policy('    excludedNamespaces: ["kube-*"]'), pod({}, 'kube-system')))).toEqual([])
    expect(statuses(run(policy('    labelSelector:\n      matchLabels: {tier: web}'), pod({ tier: 'db' })))).toEqual([])
    expect(statuses(run(policy('    kinds: [{apiGroups: ["apps"], kinds: ["Deployment"]}]'), pod()))).toEqual([])
    expect(statuses(run(policy('    scope: Cluster'), pod()))).toEqual([])
  })

  it('maps enforcement actions: dryrun to audit, warn to warn, scoped per enforcement point', () => {
    const t = readConstraintTemplate(objects(TEMPLATE)[0] as KubeObject)
    const read = (extra: string): ReturnType<typeof readConstraint> =>
      readConstraint(objects(constraint(extra))[0] as KubeObject, t)
    expect(read('enforcementAction: dryrun').actions['validation.gatekeeper.sh']).toBe('audit')
    expect(read('enforcementAction: warn').actions['audit.gatekeeper.sh']).toBe('warn')
    const scoped = read(
      'enforcementAction: scoped\n  scopedEnforcementActions:\n    - action: warn\n      enforcementPoints: [{name: validation.gatekeeper.sh}]\n    - action: deny\n      enforcementPoints: [{name: audit.gatekeeper.sh}]',
    )
    expect(scoped.actions['validation.gatekeeper.sh']).toBe('warn')
    expect(scoped.actions['audit.gatekeeper.sh']).toBe('deny')
    expect(policyOf(`${TEMPLATE}---\n${constraint('enforcementAction: warn')}`).declaredAction).toBe('warn')
    expect(() => read('enforcementAction: block')).toThrow(/enforcementAction/)
  })

  it('points a finding at the container and field its message names', () => {
    const tpl = TEMPLATE.replace(
      /violation\[[\s\S]*?\n {8}\}\n/,
      'violation[{"msg": msg}] {\n          c := input.review.object.spec.containers[_]\n          c.securityContext.privileged\n          msg := sprintf("Privileged container is not allowed: %v, securityContext.privileged: true", [c.name])\n        }\n',
    ).replace(/ {6}code:[\s\S]*$/, '')
    const policy = policyOf(`${tpl}---\n${constraint()}`)
    const p = pod()
    ;(p.spec as { containers: unknown[] }).containers = [
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y', securityContext: { privileged: true } },
    ]
    expect(run(policy, p).responses[0]?.path).toBe('/spec/containers/1/securityContext/privileged')
  })

  it('gives Rego data.inventory from the other objects of the run', () => {
    const tpl = TEMPLATE.replace(
      /violation\[[\s\S]*?\n {8}\}\n/,
      'violation[{"msg": msg}] {\n          other := data.inventory.namespace[ns][_]["Pod"][name]\n          name != input.review.object.metadata.name\n          msg := sprintf("another pod %v in %v", [name, ns])\n        }\n',
    ).replace(/ {6}code:[\s\S]*$/, '')
    const policy = policyOf(`${tpl}---\n${constraint()}`)
    const other = { ...pod(), metadata: { name: 'q', namespace: 'default' } }
    expect(run(policy, pod(), { objects: [pod(), other] }).responses.map((r) => r.message)).toEqual([
      'another pod q in default',
    ])
  })
})

describe('gator suites', () => {
  const files: Record<string, string> = {
    'template.yaml': TEMPLATE,
    'constraint.yaml': constraint(),
    'allowed.yaml': JSON.stringify(pod({ owner: 'x' })),
    'disallowed.yaml': JSON.stringify(pod()),
  }
  const read = (ref: string): KubeObject[] | string =>
    files[ref] === undefined ? `missing ${ref}` : objects(files[ref] as string)
  const suite = (assertions: string): KubeObject =>
    objects(`kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: labels
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
${assertions}`)[0] as KubeObject

  it('reports each assertion as met or unmet, on every engine of the template', () => {
    const { rows, problems } = runSuite('suite.yaml', suite('    - violations: 1\n      message: owner'), read)
    expect(problems).toEqual([])
    expect(rows.map((r) => `${r.engine} ${r.rule} ${r.outcome}`)).toEqual([
      'Rego allowed met',
      'K8sNativeValidation allowed met',
      'Rego disallowed met',
      'K8sNativeValidation disallowed met',
    ])
  })

  it('an assertion that does not hold is unmet, with what was found', () => {
    const { rows } = runSuite('suite.yaml', suite('    - violations: 2\n    - message: "^nothing like this$"'), read, {
      engines: ['Rego'],
    })
    const unmet = rows.filter((r) => r.outcome === 'unmet')
    expect(unmet.map((r) => r.expected)).toEqual(['violations: 2', 'violations: yes, message ~ /^nothing like this$/'])
    expect(unmet[0]?.reason).toContain('you must provide labels')
  })
})

describe('Gatekeeper templates on hostile input', () => {
  it('Rego nested deeply enough to exhaust the stack is a load error, not a crash', () => {
    const deep = `${'['.repeat(20000)}1${']'.repeat(20000)}`
    const tpl = TEMPLATE.replace('count(missing) > 0', `x := ${deep}`).replace(/ {6}code:[\s\S]*$/, '')
    const loaded = loadPolicyDocuments(objects(tpl).map((object) => ({ object, file: 't.yaml' })))
    expect(loaded.diagnostics[0]?.message).toMatch(/nested too deeply/)
  })
})
