import { describe, expect, it } from 'vitest'
import { evalCel, runCases } from './cases.test-support.js'
import { compileCel } from './index.js'

const object = {
  metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/name': 'web' }, annotations: null },
  spec: {
    replicas: 3,
    containers: [
      { name: 'app', image: 'nginx:1.25', securityContext: { privileged: false, runAsNonRoot: true } },
      { name: 'sidecar', image: 'envoy', securityContext: null },
    ],
    securityContext: { runAsNonRoot: true },
    'x-custom': 1,
    constructor: 'own',
    namespace: 'ns',
  },
}
const act = { object, oldObject: null, params: { limits: [1, 2] } }

describe('field selection and indexing', () => {
  runCases(
    [
      ['object.metadata.name', 'web'],
      ['object.spec.containers[0].image', 'nginx:1.25'],
      ['object.spec.containers[1].name', 'sidecar'],
      ["object.metadata.labels['app.kubernetes.io/name']", 'web'],
      ["object['spec']['replicas']", 3],
      ['object.spec.containers[1u].name', 'sidecar'],
      ['object.spec.containers[1.0].name', 'sidecar'],
      ['object.spec.constructor', 'own'],
      ['object.spec.x__dash__custom', 1],
      ['object.spec.__namespace__', 'ns'],
      ['object.spec.namespace', 'ns'],
      ['object.metadata.annotations', null],
      ["{'a': {'b': 1}}.a.b", 1],
      ['[[1, 2], [3]][1][0]', 3],
      ["{1: 'one', true: 'yes'}[true]", 'yes'],
      ['params.limits[1]', 2],
      { expr: 'object.metadata.missing', error: /no such key: missing/ },
      { expr: 'object.spec.toString', error: /no such key: toString/ },
      { expr: "object.metadata.labels['nope']", error: /no such key: nope/ },
      { expr: 'object.spec.containers[2]', error: /index out of bounds: 2/ },
      { expr: 'object.spec.containers[-1]', error: /index out of bounds: -1/ },
      { expr: "object.spec.containers['0']", error: /no matching overload for '_\[_\]'/ },
      { expr: 'object.metadata.name.first', error: /type 'string' does not support field selection/ },
      { expr: 'oldObject.spec', error: /type 'null_type' does not support field selection/ },
      { expr: "'abc'.x", compileError: /does not support field selection/ },
      { expr: '[1][0].x', error: /does not support field selection/ },
      { expr: '1[0]', compileError: /does not support indexing/ },
    ],
    { act },
  )

  it('reports where the missing key was selected', () => {
    const r = compileCel('object.spec.containers.all(c, c.securityContext.privileged == false)', {
      variables: ['object'],
    })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(() => r.program({ object })).toThrow(/does not support field selection \(at offsets 30-58\)/)
  })
})

describe('has()', () => {
  runCases(
    [
      ['has(object.metadata.name)', true],
      ['has(object.metadata.namespace)', false],
      ['has(object.spec.containers)', true],
      ['has(object.spec.constructor)', true],
      ['has(object.metadata.toString)', false],
      ['has(object.spec.x__dash__custom)', true],
      // A field holding null counts as absent, as the API server drops null fields.
      ['has(object.metadata.annotations)', false],
      [
        'object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false)',
        true,
      ],
      ["has({'a': 1}.a)", true],
      ["has({'a': 1}.b)", false],
      // Under a null value (YAML `metadata:` with nothing below) nothing is present, as in cel-go.
      ['has(object.metadata.annotations.team)', false],
      ['has(oldObject.spec)', false],
      { expr: 'has(object.missing.name)', error: /no such key: missing/ },
      { expr: 'has(object.metadata.name.x)', error: /does not support field selection/ },
      { expr: 'has(object)', compileError: /invalid argument to has\(\) macro/ },
      { expr: 'has(object[0])', compileError: /invalid argument to has\(\) macro/ },
    ],
    { act },
  )
})

describe('optional values', () => {
  runCases(
    [
      ['object.spec.?securityContext.?runAsNonRoot.orValue(false)', true],
      ['object.spec.?hostNetwork.orValue(false)', false],
      ['object.spec.?hostNetwork.hasValue()', false],
      ['object.spec.?replicas.value()', 3],
      ['object.?spec.?replicas', 3],
      ['object.?missing.?deeper.?deepest.orValue("none")', 'none'],
      // After an optional step, plain selection propagates the optional.
      ['object.?spec.securityContext.runAsNonRoot.value()', true],
      ['object.?spec.missing.deeper.hasValue()', false],
      ['object.?metadata.annotations.hasValue()', false],
      ['object.spec.containers[?5].hasValue()', false],
      ['object.spec.containers[?0].name.value()', 'app'],
      ["object.metadata.labels[?'app'].value()", 'web'],
      ["object.metadata.labels[?'nope'].orValue('-')", '-'],
      ['optional.of(1).value()', 1],
      ['optional.of(1).hasValue()', true],
      ['optional.none().hasValue()', false],
      ['optional.none().orValue(2)', 2],
      ['optional.none().or(optional.of(3)).value()', 3],
      ['optional.of(1).or(optional.of(3)).value()', 1],
      ['optional.ofNonZeroValue(0).hasValue()', false],
      ["optional.ofNonZeroValue('').hasValue()", false],
      ['optional.ofNonZeroValue([]).hasValue()', false],
      ['optional.ofNonZeroValue(1).hasValue()', true],
      ['optional.of(1).orValue(1 / 0)', 1],
      ['optional.of({"a": 2}).a.value()', 2],
      ['optional.of(2).optMap(x, x * 2).value()', 4],
      ['optional.none().optMap(x, x * 2).hasValue()', false],
      ['optional.of(2).optFlatMap(x, optional.none()).hasValue()', false],
      ['optional.none() == optional.none()', true],
      ['optional.of(1) == optional.of(1)', true],
      ['type(optional.none()) == optional_type', true],
      ['object.spec.?replicas', 3],
      { expr: 'optional.none().value()', error: /optional.none\(\) dereference/ },
      ['object.metadata.annotations.?team.orValue("none")', 'none'],
      ["object.metadata.annotations[?'a/b'].orValue('none')", 'none'],
      ['oldObject.?spec.hasValue()', false],
      { expr: 'object.metadata.annotations.team', error: /null_type' does not support field selection/ },
      { expr: 'object.metadata.name.?x', error: /does not support field selection/ },
      { expr: 'optional.none().orValue()', compileError: /found no matching overload|undeclared/ },
      // cel-go's evaluator (evalOptionalOrValue) returns a receiver that is not an optional as it is.
      ['dyn(1).orValue(2)', 1],
      { expr: '(1).orValue(2)', compileError: /no matching overload/ },
    ],
    { act },
  )

  it('returns optional values that celToJs unwraps', () => {
    expect(evalCel('object.spec.?replicas', act, ['object'])).toMatchObject({ present: true, value: 3 })
  })
})

describe('repeated paths', () => {
  it('reads each activation afresh', () => {
    const r = compileCel('object.spec.a + object.spec.b + object.spec.a', { variables: ['object'] })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.program({ object: { spec: { a: 1, b: 2 } } })).toBe(4)
    expect(r.program({ object: { spec: { a: 10, b: 20 } } })).toBe(40)
    expect(() => r.program({ object: { spec: { b: 2 } } })).toThrow(/no such key: a/)
    expect(r.program({ object: { spec: { a: 5, b: 0 } } })).toBe(10)
  })

  runCases(
    [
      // A comprehension or cel.bind variable shadowing an activation variable is not the same path.
      ['object.x.v + [{"x": {"v": 10}}, {"x": {"v": 20}}].map(object, object.x.v).sum() + object.x.v', 32],
      ['[1, 2].map(i, object.x.v + i) == [object.x.v + 1, object.x.v + 2]', true],
      ['cel.bind(object, {"x": {"v": 5}}, object.x.v) + object.x.v', 6],
      ['object.y.z == 1 || object.y.z == 2', true],
      { expr: 'object.y.w == 1 || object.y.w == 2', error: /no such key: w/ },
    ],
    { act: { object: { x: { v: 1 }, y: { z: 2 } } } },
  )
})

describe('variables', () => {
  runCases(
    [
      ['x', 1],
      { expr: 'x', act: {}, vars: ['x'], error: /no such attribute: x/ },
      { expr: 'y', compileError: /undeclared reference to 'y'/ },
      { expr: 'authorizer', vars: ['authorizer'], act: { authorizer: {} }, value: {} },
      {
        expr: "authorizer.group('apps').resource('deployments').check('create').allowed()",
        vars: ['authorizer'],
        act: { authorizer: {} },
        error: /authorizer\.\w+\(\) is not supported/,
      },
      { expr: "authorizer.group('apps')", compileError: /undeclared reference to 'authorizer/, vars: [] },
    ],
    { act: { x: 1 } },
  )
})
