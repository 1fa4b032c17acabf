import { describe, expect, it } from 'vitest'
import { celToJs, compileCel, evalError, overload, type FunctionTable } from './index.js'

/** A value of the caller's environment that member functions are called on (like Kyverno's `resource`). */
class Store {
  constructor(readonly items: Record<string, unknown>) {}
}

const functions: FunctionTable = {
  Get: {
    member: [
      overload(['dyn', 'string'], 'dyn', (store: unknown, key: string) => {
        if (!(store instanceof Store)) throw evalError('Get() needs a store')
        return store.items[key] ?? null
      }),
    ],
  },
  'lib.twice': { global: [overload(['string'], 'string', (s: string) => s + s)] },
}

function run(expression: string, activation: Record<string, unknown>, withFunctions = true): unknown {
  const r = compileCel(expression, { variables: ['store', 'object'], ...(withFunctions ? { functions } : {}) })
  if (!r.ok) throw new Error(r.error.message)
  return celToJs(r.program(activation))
}

describe('functions of the caller', () => {
  it('calls a member function on an activation value and a qualified global function', () => {
    expect(run('store.Get("a").x + lib.twice("b")', { store: new Store({ a: { x: 'y' } }), object: {} })).toBe('ybb')
  })
  it('does not know them unless the caller declares them', () => {
    expect(() => run('store.Get("a")', { store: new Store({}), object: {} }, false)).toThrow(
      /undeclared reference to 'Get'/,
    )
  })
  it('fails at evaluation when the receiver is not the caller value', () => {
    expect(() => run('object.Get("a")', { store: new Store({}), object: {} })).toThrow(/Get\(\) needs a store/)
  })
})

describe('or / orValue on a value that is not optional (as cel-go evaluates them)', () => {
  it('returns a dyn list or map as it is and never evaluates the alternative', () => {
    expect(run('object.spec.volumes.orValue([]).size()', { store: null, object: { spec: { volumes: [1, 2] } } })).toBe(
      2,
    )
    expect(
      run('object.spec.orValue(object.nope).volumes.size()', { store: null, object: { spec: { volumes: [1] } } }),
    ).toBe(1)
    expect(run('object.spec.or(optional.none())', { store: null, object: { spec: { volumes: [1] } } })).toEqual({
      volumes: [1],
    })
  })
  it('still fails when the receiver itself fails (a missing field)', () => {
    expect(() => run('object.spec.volumes.orValue([])', { store: null, object: { spec: {} } })).toThrow(/volumes/)
  })
  it('keeps optional semantics for optionals', () => {
    expect(run('object.?spec.?volumes.orValue([]).size()', { store: null, object: { spec: {} } })).toBe(0)
  })
})
