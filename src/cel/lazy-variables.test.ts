import { describe, expect, it, vi } from 'vitest'
import { compileCel, type CelProgram } from './index.js'
import { LazyVariables, VariableSet } from './lazy-variables.js'

/**
 * Lazy variables bound from a VariableSet (slots, no property defined per evaluation) against
 * the definition they replace: a plain object with one getter per variable, each evaluated at
 * most once and rethrowing its error on every read.
 */

const NAMES = ['object', 'variables']

function program(expression: string): CelProgram {
  const r = compileCel(expression, { variables: NAMES })
  if (!r.ok) throw new Error(r.error.message)
  return r.program
}

/** The reference: the getters of the previous `lazyVariables`, defined per evaluation. */
function getters(
  definitions: readonly { name: string; program: CelProgram }[],
  activation: Record<string, unknown>,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {}
  for (const { name, program } of definitions) {
    let state: { value: unknown } | { error: unknown } | undefined
    Object.defineProperty(variables, name, {
      enumerable: true,
      get: () => {
        if (state === undefined) {
          try {
            state = { value: program(activation) }
          } catch (error) {
            state = { error }
          }
        }
        if ('error' in state) throw state.error
        return state.value
      },
    })
  }
  return variables
}

/** Runs `expression` with variables made by `make`; counts each variable's evaluations. */
function run(
  expression: string,
  make: 'slots' | 'getters',
  defs: Record<string, string>,
): { outcome: unknown; runs: Record<string, number> } {
  const runs: Record<string, number> = {}
  const definitions = Object.entries(defs).map(([name, e]) => {
    const p = program(e)
    return {
      name,
      program: (a: Readonly<Record<string, unknown>>) => {
        runs[name] = (runs[name] ?? 0) + 1
        return p(a)
      },
    }
  })
  const activation: Record<string, unknown> = { object: { a: [1, 2, 3], s: 'x' }, variables: null }
  activation.variables =
    make === 'slots' ? new VariableSet(definitions).bind(activation) : getters(definitions, activation)
  const p = program(expression)
  let outcome: unknown
  try {
    outcome = p(activation)
    // A second program over the same activation: variables already computed are not computed again.
    p(activation)
  } catch (error) {
    outcome = `error: ${(error as Error).message}`
  }
  return { outcome, runs }
}

const DEFS = {
  n: 'size(object.a)',
  twice: 'variables.n * 2',
  bad: 'object.a[7]',
  name: 'object.s + "y"',
}

const EXPRESSIONS = [
  'variables.twice + variables.n',
  'variables.n > 2 || variables.bad == 1',
  'variables.bad == 1 || variables.n > 2',
  'variables.bad == 1',
  'variables.name.startsWith("x")',
  'has(variables.name)',
  'has(variables.nope)',
  'variables.nope == 1',
  'variables["twice"] == 6',
  'size(variables)',
  '"bad" in variables',
  'variables.?name.orValue("none")',
  'variables.exists(k, k == "name")',
  'object.a.all(x, x <= variables.n)',
  'object.a.map(x, variables.twice).size()',
]

describe('lazy variables in slots', () => {
  for (const expression of EXPRESSIONS) {
    it(`gives the getters' outcome and evaluation counts for ${expression}`, () => {
      expect(run(expression, 'slots', DEFS)).toEqual(run(expression, 'getters', DEFS))
    })
  }

  it('evaluates a variable at most once per binding, only when read, and afresh in the next binding', () => {
    const { runs } = run('variables.twice + variables.n + variables.twice', 'slots', DEFS)
    expect(runs).toEqual({ n: 1, twice: 1 })
    const set = new VariableSet([{ name: 'v', program: (a) => (a.object as { k: number }).k }])
    const p = program('variables.v')
    const first: Record<string, unknown> = { object: { k: 1 } }
    first.variables = set.bind(first)
    const second: Record<string, unknown> = { object: { k: 2 } }
    second.variables = set.bind(second)
    expect([p(first), p(second), p(first)]).toEqual([1, 2, 1])
  })

  it('reads `variables.x` from the slots, making no plain-object view', () => {
    const spy = vi.spyOn(LazyVariables.prototype, 'toObject')
    try {
      expect(run('variables.twice + variables.n', 'slots', DEFS).outcome).toBe(9)
      expect(spy).not.toHaveBeenCalled()
      run('size(variables)', 'slots', DEFS)
      expect(spy).toHaveBeenCalled()
    } finally {
      spy.mockRestore()
    }
  })

  it('rethrows the same error on every read of a failing variable', () => {
    const boom = new Error('boom')
    const vars = new VariableSet([
      {
        name: 'x',
        program: () => {
          throw boom
        },
      },
    ]).bind({})
    expect(vars).toBeInstanceOf(LazyVariables)
    expect(() => vars.at(0)).toThrow(boom)
    expect(() => vars.toObject().x).toThrow(boom)
  })

  it('fails to bind a set that defines a name twice, as defining the getter twice did', () => {
    const set = new VariableSet([
      { name: 'x', program: () => 1 },
      { name: 'x', program: () => 2 },
    ])
    expect(() => set.bind({})).toThrow('Cannot redefine property: x')
  })
})
