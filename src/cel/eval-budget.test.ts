import { describe, expect, it } from 'vitest'
import { compileCel, currentBudget, EvalLimitError, withBudget, type CelProgram, type EvalLimits } from './index.js'

function program(expression: string, variables: readonly string[] = ['l', 'variables']): CelProgram {
  const r = compileCel(expression, { variables })
  if (!r.ok) throw new Error(r.error.message)
  return r.program
}

const limits = (cost: number, timeoutMs = 0, clock: () => number = () => 0): EvalLimits => ({ cost, timeoutMs, clock })
const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (error) {
    return error
  }
  return undefined
}

describe('evaluation budget', () => {
  it('is shared by every CEL program of one evaluation, each under its own limit', () => {
    const p = program('l.map(x, l.map(y, x + y)).size()')
    const l = Array.from({ length: 100 }, (_, i) => i)
    // One run is 10,100 iterations: fine alone, too much three times over within 25,000 units.
    expect(withBudget(limits(25_000), () => p({ l }))).toBe(100)
    const error = thrown(() => withBudget(limits(25_000), () => [p({ l }), p({ l }), p({ l })]))
    expect(error).toBeInstanceOf(EvalLimitError)
    expect((error as EvalLimitError).limit).toBe('cost')
  })

  it('charges a list concatenation before building it', () => {
    // Doubling 26 times within one expression would build 2^27 elements (over a GiB).
    const doubling =
      Array.from({ length: 26 }, (_, i) => `cel.bind(l${i + 1}, l${i} + l${i}, `).join('') +
      'size(l26)' +
      ')'.repeat(26)
    const p = program(`cel.bind(l0, [1, 2], ${doubling})`)
    const error = thrown(() => withBudget(limits(10_000_000), () => p({})))
    expect(error).toBeInstanceOf(EvalLimitError)
    expect(currentBudget()).toBeUndefined()
  })

  it('stops at the deadline, read from the clock it is given', () => {
    let now = 0
    const clock = (): number => (now += 10)
    const p = program('l.map(x, l.map(y, l.map(z, x + y + z))).size()')
    const l = Array.from({ length: 60 }, (_, i) => i)
    const error = thrown(() => withBudget(limits(10_000_000, 100, clock), () => p({ l })))
    expect(error).toBeInstanceOf(EvalLimitError)
    expect((error as EvalLimitError).limit).toBe('time')
  })

  it('is never absorbed by || or exists, unlike an ordinary evaluation error', () => {
    const p = program('l.exists(x, l.map(y, l.map(z, y + x))[0][0] == -1 || x >= 0)')
    const l = Array.from({ length: 200 }, (_, i) => i)
    expect(thrown(() => withBudget(limits(30_000), () => p({ l })))).toBeInstanceOf(EvalLimitError)
  })

  it('does not touch programs run outside an evaluation', () => {
    const p = program('l.map(x, x * 2).size()')
    expect(p({ l: [1, 2, 3] })).toBe(3)
    expect(currentBudget()).toBeUndefined()
  })
})
