import { describe, expect, it } from 'vitest'
import { compileCel, type CelProgram } from './index.js'

/** Composition variables (`variables.x`): read once per evaluation, activation data when the caller says so. */

const NAMES = ['object', 'params', 'variables']

function program(expression: string, dataVariables: readonly string[] = []): CelProgram {
  const r = compileCel(expression, { variables: NAMES, dataVariables })
  if (!r.ok) throw new Error(r.error.message)
  return r.program
}

/** A `variables` object whose getters count their reads, as the runners' lazy variables are. */
function counted(values: Record<string, () => unknown>): {
  variables: Record<string, unknown>
  reads: Map<string, number>
} {
  const reads = new Map<string, number>()
  const variables: Record<string, unknown> = {}
  for (const [name, get] of Object.entries(values))
    Object.defineProperty(variables, name, {
      enumerable: true,
      get: () => {
        reads.set(name, (reads.get(name) ?? 0) + 1)
        return get()
      },
    })
  return { variables, reads }
}

describe('variables.x read once per evaluation', () => {
  it('reads a variable used in a comprehension once, not once per element', () => {
    const p = program('object.items.filter(i, i in variables.allowed).size() + size(variables.allowed)')
    const { variables, reads } = counted({ allowed: () => ['a', 'c'] })
    expect(p({ object: { items: ['a', 'b', 'c', 'd'] }, params: null, variables })).toBe(4)
    expect(reads.get('allowed')).toBe(1)
  })

  it('reads it afresh in the next evaluation (no stale value)', () => {
    const p = program('variables.n + 1')
    let n = 1
    const { variables, reads } = counted({ n: () => n })
    expect(p({ object: null, params: null, variables })).toBe(2)
    n = 41
    expect(p({ object: null, params: null, variables })).toBe(42)
    expect(reads.get('n')).toBe(2)
  })

  it('rethrows a failing variable on every read', () => {
    const p = program('variables.bad == 1 || variables.bad == 2')
    const { variables } = counted({
      bad: () => {
        throw new Error('variable failed')
      },
    })
    expect(() => p({ object: null, params: null, variables })).toThrow('variable failed')
  })

  it('leaves a comprehension variable named variables alone', () => {
    const p = program('[{"a": 1}, {"a": 2}].map(variables, variables.a)')
    expect(p({ object: null, params: null, variables: {} })).toEqual([1, 2])
  })
})

describe('dataVariables', () => {
  const containers = [
    { name: 'a', securityContext: { procMount: 'Unmasked' } },
    { name: 'b', securityContext: null },
    { name: 'c' },
  ]
  const expr =
    '(variables.containers + variables.init).filter(c, has(c.securityContext) && has(c.securityContext.procMount)).map(c, c.name)'

  it('gives the same results with and without the claim', () => {
    const variables = { containers, init: [] }
    const act = { object: null, params: null, variables }
    expect(program(expr, ['containers', 'init'])(act)).toEqual(['a'])
    expect(program(expr)(act)).toEqual(['a'])
  })

  it('still fails where the value has no such field, or is not a map', () => {
    const act = { object: null, params: null, variables: { v: { a: 1 }, s: 'text' } }
    expect(() => program('variables.v.b', ['v'])(act)).toThrow(/no such key/)
    expect(() => program('has(variables.s.b)', ['s'])(act)).toThrow(/does not support field selection/)
    expect(program('has(variables.v.a) && !has(variables.v.b)', ['v'])(act)).toBe(true)
  })
})

describe('compile result json', () => {
  const json = (expression: string): boolean => {
    const r = compileCel(expression, { variables: NAMES })
    if (!r.ok) throw new Error(r.error.message)
    return r.json
  }

  it('says json for activation data and what is built only from it', () => {
    expect(json('object.spec')).toBe(true)
    expect(json('has(object.a) ? object.a : []')).toBe(true)
    expect(json('["a", true, null]')).toBe(true)
    expect(json('object.items.filter(i, i.x)')).toBe(true)
    expect(json('object.items.map(i, i.name)')).toBe(true)
  })

  it('does not for CEL values or results whose kind is known only at run time', () => {
    expect(json('[1.0]')).toBe(false)
    expect(json('object.a + object.b')).toBe(false)
    expect(json('object.items.map(i, i.x * 2.0)')).toBe(false)
    expect(json('variables.v')).toBe(false)
    expect(json('[duration("1s")]')).toBe(false)
  })
})

describe('list sums and membership', () => {
  const act = { object: { a: ['x'], e: [], n: [1, 'a', true] }, params: null, variables: {} }
  it('adds empty lists without changing the other', () => {
    expect(program('object.e + object.a + object.e')(act)).toEqual(['x'])
    expect(program('object.e + object.e')(act)).toEqual([])
    expect(program('size(object.a + object.a)')(act)).toBe(2)
  })

  it('tests strings and bools by CEL equality', () => {
    expect(program("'a' in object.n")(act)).toBe(true)
    expect(program("'1' in object.n")(act)).toBe(false)
    expect(program('true in object.n')(act)).toBe(true)
    expect(program('false in object.n')(act)).toBe(false)
    expect(program('1.0 in object.n')(act)).toBe(true)
  })

  it('checks a dyn argument of a one-argument function', () => {
    expect(program('object.a[0].upperAscii()')(act)).toBe('X')
    expect(() => program('object.n[0].upperAscii()')(act)).toThrow(/no matching overload/)
  })
})
