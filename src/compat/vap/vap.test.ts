import { describe, expect, it } from 'vitest'
import { createJmespath, defaultHooks, loadPolicyDocuments, toCompiledPolicies } from '../index.js'
import { objects, policyOf, run } from '../test-helpers.test-support.js'

const vap = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
    excludeResourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
      resourceNames: [legacy]
  matchConditions:
  - name: not-system
    expression: "!object.metadata.name.startsWith('system-')"
  variables:
  - name: max
    expression: int(params.data.max)
  validations:
  - expression: object.spec.replicas <= variables.max
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' over ' + string(variables.max)"
`
const binding = (ref: string, actions = '[Warn, Audit]'): string => `---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicas-binding}
spec:
  policyName: replicas
  validationActions: ${actions}
  paramRef:
${ref}`
const deployment = (name: string, replicas: number): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: prod}\nspec: {replicas: ${replicas}}`
const params = objects(
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits, namespace: prod, labels: {kind: limits}}\ndata: {max: "3"}',
)

const one = <T>(xs: T[]): T => {
  if (xs.length !== 1 || xs[0] === undefined) throw new Error(`expected one, got ${xs.length}`)
  return xs[0]
}

describe('ValidatingAdmissionPolicy with bindings', () => {
  it('evaluates with params found by name, and maps validationActions', () => {
    const p = policyOf(vap + binding('    name: limits\n    namespace: prod'))
    expect(p.declaredAction).toBe('warn')
    const over = run(p, one(objects(deployment('web', 5))), { objects: params })
    expect(over.responses.map((r) => [r.status, r.message])).toEqual([['fail', 'replicas 5 over 3']])
    expect(run(p, one(objects(deployment('web', 2))), { objects: params }).responses.map((r) => r.status)).toEqual([
      'pass',
    ])
  })

  it('finds params by selector and honours parameterNotFoundAction', () => {
    const bySelector = policyOf(vap + binding('    selector: {matchLabels: {kind: limits}}'))
    expect(
      run(bySelector, one(objects(deployment('web', 5))), { objects: params }).responses.map((r) => r.status),
    ).toEqual(['fail'])
    const deny = policyOf(vap + binding('    name: missing'))
    expect(run(deny, one(objects(deployment('web', 1))), { objects: params }).responses.map((r) => r.status)).toEqual([
      'fail',
    ])
    const allow = policyOf(vap + binding('    name: missing\n    parameterNotFoundAction: Allow'))
    expect(run(allow, one(objects(deployment('web', 1))), { objects: params }).responses.map((r) => r.status)).toEqual([
      'skip',
    ])
  })

  it('matchConstraints, excludeResourceRules and matchConditions decide what is checked', () => {
    const p = policyOf(vap + binding('    name: limits'))
    expect(run(p, one(objects(deployment('legacy', 9))), { objects: params }).responses).toEqual([])
    expect(run(p, one(objects(deployment('system-x', 9))), { objects: params }).responses.map((r) => r.status)).toEqual(
      ['skip'],
    )
    expect(
      run(p, one(objects('apiVersion: v1\nkind: Pod\nmetadata: {name: p}')), { objects: params }).responses,
    ).toEqual([])
  })

  it('an unbound VAP is evaluated with Deny and reported', () => {
    const loaded = loadPolicyDocuments(
      objects(vap.replace(/ {2}paramKind.*\n/, '').replace('int(params.data.max)', '3')).map((object) => ({
        object,
        file: 'vap.yaml',
      })),
    )
    expect(loaded.diagnostics.map((d) => d.severity)).toEqual(['warning'])
    expect(loaded.policies[0]?.declaredAction).toBe('deny')
  })

  it('a CEL expression that does not compile is a diagnostic with the file', () => {
    const loaded = loadPolicyDocuments(
      objects(vap.replace('object.spec.replicas <= variables.max', 'object.spec.replicas <=')).map((object) => ({
        object,
        file: 'bad.yaml',
      })),
    )
    expect(loaded.policies).toEqual([])
    expect(loaded.diagnostics[0]?.code).toBe('CEL_COMPILE')
    expect(loaded.diagnostics[0]?.message).toContain('bad.yaml')
  })
})

describe('Kyverno ValidatingPolicy', () => {
  const vpol = `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: no-latest}
spec:
  validationActions: [Audit]
  matchConstraints:
    resourceRules:
    - apiGroups: ['']
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [pods]
  matchConditions:
  - name: labelled
    expression: "'app' in object.metadata.?labels.orValue({})"
  validations:
  - expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
    message: no latest
`
  const pod = (image: string, labels = '{app: x}'): string =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: ${labels}}\nspec:\n  containers: [{name: a, image: "${image}"}]`

  it('validates pods, and pod controllers through autogen', () => {
    const p = policyOf(vpol)
    expect(p.declaredAction).toBe('audit')
    expect(run(p, one(objects(pod('nginx:latest')))).responses.map((r) => r.status)).toEqual(['fail'])
    expect(run(p, one(objects(pod('nginx:1')))).responses.map((r) => r.status)).toEqual(['pass'])
    const deploy =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata: {labels: {app: x}}\n    spec:\n      containers: [{name: a, image: "nginx:latest"}]'
    const cron =
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: x}}\n        spec:\n          containers: [{name: a, image: "nginx:latest"}]'
    expect(run(p, one(objects(deploy))).responses.map((r) => r.status)).toEqual(['fail'])
    expect(run(p, one(objects(cron))).responses.map((r) => r.status)).toEqual(['fail'])
  })

  it('a false matchCondition is a skip', () => {
    expect(run(policyOf(vpol), one(objects(pod('nginx:latest', '{}')))).responses.map((r) => r.status)).toEqual([
      'skip',
    ])
  })
})

describe('a CEL policy that cannot be evaluated', () => {
  const broken = (
    kind: string,
    failurePolicy: string,
  ): string => `apiVersion: ${kind === 'ValidatingPolicy' ? 'policies.kyverno.io/v1' : 'admissionregistration.k8s.io/v1'}
kind: ${kind}
metadata: {name: broken}
spec:
  failurePolicy: ${failurePolicy}
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
  validations:
  - expression: "object.spec.nosuchfield == 'x'"
    message: never
${kind === 'ValidatingPolicy' ? '' : '---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: broken}\nspec: {policyName: broken, validationActions: [Deny]}\n'}`
  const statusOf = (yaml: string): string[] =>
    run(policyOf(yaml), one(objects(deployment('web', 1)))).responses.map((r) => `${r.status}: ${r.message}`)

  it('a VAP is an error, never a fail or a pass, whatever its failurePolicy', () => {
    for (const failurePolicy of ['Fail', 'Ignore']) {
      const [r] = statusOf(broken('ValidatingAdmissionPolicy', failurePolicy))
      expect(r).toMatch(
        /^error: evaluation error: CEL expression "object.spec.nosuchfield == 'x'" failed: no such key: nosuchfield/,
      )
    }
  })

  it('so a scan reports an error finding for it', () => {
    const [policy] = toCompiledPolicies([policyOf(broken('ValidatingAdmissionPolicy', 'Fail'))], {
      jp: createJmespath(() => new Date('2026-01-01T00:00:00Z')),
      hooks: defaultHooks(),
    })
    const outcome = policy?.evaluateAll?.(objects(deployment('web', 1)), [undefined]).get(0)
    expect(outcome?.status).toBe('error')
    expect(outcome?.violations.map((v) => v.status)).toEqual(['error'])
  })

  it('a Kyverno ValidatingPolicy is an error too under Fail and Ignore, as the Kyverno engine reports it', () => {
    for (const failurePolicy of ['Fail', 'Ignore']) {
      expect(statusOf(broken('ValidatingPolicy', failurePolicy))[0]).toMatch(
        /^error: evaluation error: CEL expression "object.spec.nosuchfield == 'x'"/,
      )
    }
  })
})
