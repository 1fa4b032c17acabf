import { describe, expect, it } from 'vitest'
import { compileCel, type InlineVariable } from './index.js'

/** A sum of inlined variables written in several places is computed once per run (shared-sums.ts). */

const NAMES = ['object', 'params', 'variables']
const INLINE: Record<string, InlineVariable> = {
  a: { expression: 'object.a' },
  b: { expression: 'object.b' },
  all: { expression: 'variables.a + variables.b' },
}
const big = Array.from({ length: 1000 }, (_, i) => i)
const act = (a: unknown, b: unknown): Record<string, unknown> => ({ object: { a, b }, params: null, variables: {} })

function run(expression: string, activation: Record<string, unknown>, costLimit = 1_000_000): unknown {
  const r = compileCel(expression, { variables: NAMES, inlineVariables: new Map(Object.entries(INLINE)), costLimit })
  if (!r.ok) throw new Error(r.error.message)
  return r.program(activation)
}

/** The least cost limit under which the expression runs on two lists of 1000. */
function cost(expression: string): number {
  let lo = 1
  let hi = 1_000_000
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    try {
      run(expression, act(big, big), mid)
      hi = mid
    } catch {
      lo = mid + 1
    }
  }
  return lo
}

describe('shared sums of inlined variables', () => {
  it('computes the same sum written twice once per run, and a different sum on its own', () => {
    const once = cost('size(variables.a + variables.b)')
    expect(cost('size(variables.a + variables.b) + size(variables.a + variables.b)')).toBe(once)
    expect(cost('size(variables.a + variables.b) + size(variables.b + variables.a)')).toBe(2 * once)
  })

  it('shares the sum between a variable inlined into the expression and the expression', () => {
    const filters = cost('variables.all.filter(x, x > 998)') - cost('size(variables.all)')
    const both = 'variables.all.filter(x, x > 998) + (variables.a + variables.b).filter(x, x > 998)'
    expect(cost(both)).toBeLessThan(cost('size(variables.a + variables.b)') * 2 + 2 * filters)
    expect(run(both, act(big, big))).toEqual([999, 999, 999, 999])
  })

  it('computes the sum afresh on every run', () => {
    const e = '(variables.a + variables.b) + (variables.a + variables.b)'
    expect(run(e, act([1], [2]))).toEqual([1, 2, 1, 2])
    expect(run(e, act([3], []))).toEqual([3, 3])
  })

  it('does not share where a comprehension variable named variables hides the composition variables', () => {
    const e = '[{"a": [7], "b": [8]}].map(variables, variables.a + variables.b) + [variables.a + variables.b]'
    expect(run(e, act([1], [2]))).toEqual([
      [7, 8],
      [1, 2],
    ])
  })

  it('reports a sum that fails at the place that evaluates it, on every run', () => {
    const e = 'size(variables.a + variables.b) + size(variables.a + variables.b)'
    expect(() => run(e, act([1], 'x'))).toThrow(/no matching overload/)
    expect(() => run(e, act([1], 'x'))).toThrow(/no matching overload/)
    expect(run(e, act([1], [2]))).toBe(4)
  })
})
