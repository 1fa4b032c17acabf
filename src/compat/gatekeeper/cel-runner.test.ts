import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../../core/index.js'
import { currentBudget, withBudget } from '../../engine/index.js'
import { objects } from '../test-helpers.test-support.js'
import { readConstraint } from './constraint.js'
import { constraintPolicy, type GatekeeperEnv } from './policy.js'
import { readConstraintTemplate } from './template.js'

/** A template with K8sNativeValidation only: `variables` and one validation, names as parameters. */
const template = (variables: Record<string, string>, validation: string): KubeObject =>
  objects(`apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8snames
spec:
  crd:
    spec:
      names:
        kind: K8sNames
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            variables:
${Object.entries(variables)
  .map(([name, e]) => `              - name: ${name}\n                expression: ${JSON.stringify(e)}`)
  .join('\n')}
            validations:
              - expression: ${JSON.stringify(validation)}
                messageExpression: '"bad " + variables.anyObject.metadata.name'
`)[0] as KubeObject

const constraint = (names: readonly string[]): KubeObject => ({
  apiVersion: 'constraints.gatekeeper.sh/v1beta1',
  kind: 'K8sNames',
  metadata: { name: 'names' },
  spec: { match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] }, parameters: { names } },
})

const pod = (name: string, namespace = 'default', spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
})

const env: GatekeeperEnv = {
  operation: 'CREATE',
  oldObject: null,
  user: { username: '', groups: [] },
  namespaceLabels: {},
  objects: [],
}
const LIMITS = { cost: 10_000_000, timeoutMs: 0, clock: () => 0 }

function policy(variables: Record<string, string>, validation: string, names: readonly string[] = ['a', 'b']) {
  const t = readConstraintTemplate(template(variables, validation))
  return constraintPolicy(t, readConstraint(constraint(names), t), 'K8sNativeValidation')
}

/** Status of one evaluation, and the cost units it spent. */
function evaluate(p: ReturnType<typeof policy>, o: KubeObject): { status: string; message: string; spent: number } {
  return withBudget(LIMITS, () => {
    const r = p.run(o, env)
    return {
      status: r.map((x) => x.status).join(),
      message: r.map((x) => x.message).join(),
      spent: currentBudget()?.spent ?? -1,
    }
  })
}

describe("a constraint's CEL across evaluations", () => {
  it('evaluates a variable of the parameters alone once per constraint, one of the object on every evaluation', () => {
    const names = Array.from({ length: 500 }, (_, i) => `n${i}`)
    const p = policy(
      { allowed: 'variables.params.names.map(n, n + "!")', mine: 'variables.anyObject.metadata.name + "!"' },
      'variables.mine in variables.allowed',
      names,
    )
    const first = evaluate(p, pod('n1'))
    const second = evaluate(p, pod('n2'))
    const third = evaluate(p, pod('other'))
    expect([first.status, second.status, third.status]).toEqual(['pass', 'pass', 'fail'])
    expect(third.message).toBe('bad other')
    // The map over 500 parameters is computed once per constraint, outside the evaluations' budgets: none pays it.
    for (const r of [first, second, third]) expect(r.spent).toBeLessThan(500)
  })

  it('evaluates again a variable that reads the object only through another variable', () => {
    const p = policy(
      { ns: 'variables.anyObject.metadata.namespace', tagged: 'variables.ns + "-x"' },
      'variables.tagged != "bad-x"',
    )
    expect(['good', 'bad', 'good', 'bad'].map((ns) => evaluate(p, pod('p', ns)).status)).toEqual([
      'pass',
      'fail',
      'pass',
      'fail',
    ])
  })

  it('rethrows a failing variable on every evaluation, and keeps none of its errors for the next object', () => {
    const p = policy({ prio: 'variables.anyObject.spec.priority' }, 'variables.prio < 10')
    const results = [pod('x'), pod('y', 'default', { priority: 1 }), pod('z')].map((o) => evaluate(p, o).status)
    expect(results).toEqual(['error', 'pass', 'error'])
    const broken = policy({ first: 'variables.params.nothing.here' }, 'variables.first == "a"')
    expect([evaluate(broken, pod('x')).message, evaluate(broken, pod('y')).message]).toEqual([
      expect.stringMatching(/no such key: nothing/),
      expect.stringMatching(/no such key: nothing/),
    ])
  })

  it('evaluates variables lazily, in the order they are read', () => {
    // `boom` fails on every pod; a validation that never reads it passes.
    const p = policy(
      { boom: 'variables.anyObject.spec.nothing', name: 'variables.anyObject.metadata.name' },
      'variables.name == "a" || variables.boom == 1',
    )
    expect([evaluate(p, pod('a')).status, evaluate(p, pod('b')).status]).toEqual(['pass', 'error'])
  })
})

describe('the request a constraint sees without a review', () => {
  it('is the admission request of the object, written for each evaluation that reads it', () => {
    const p = policy(
      {},
      'request.kind.kind == "Pod" && request.name == variables.anyObject.metadata.name && request.namespace == "ns-" + request.name && request.userInfo.username == "" && request.operation == "CREATE"',
    )
    expect(['a', 'b'].map((n) => evaluate(p, pod(n, `ns-${n}`)).status)).toEqual(['pass', 'pass'])
    expect(evaluate(p, pod('c', 'elsewhere')).status).toBe('fail')
  })

  it('of a DELETE has no object, and anyObject is the old object', () => {
    const p = policy(
      {},
      'object == null && request.operation == "DELETE" && variables.anyObject.metadata.name != "keep"',
    )
    const run = (name: string): string[] =>
      p
        .run(pod(name), { ...env, operation: 'DELETE', oldObject: pod(name), user: { username: 'bob', groups: ['x'] } })
        .map((r) => r.status)
    expect([run('gone'), run('keep')]).toEqual([['pass'], ['fail']])
  })
})
