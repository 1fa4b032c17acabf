import { expect, it } from 'vitest'
import { celToJs, CelEvalError, compileCel } from './index.js'

/** Table-driven CEL tests: each case is an expression and its expected outcome. */

export interface CelCase {
  expr: string
  /** Expected result, compared after celToJs. */
  value?: unknown
  /** Expected evaluation error (CelEvalError), matched against the message. */
  error?: RegExp
  /** Expected compile error, matched against the message. */
  compileError?: RegExp
  /** Expected static type of the result. */
  type?: string
  act?: Readonly<Record<string, unknown>>
  vars?: readonly string[]
}

/** Shorthand: [expression, expected value]. */
export type CaseRow = CelCase | readonly [string, unknown]

/** Evaluate an expression once; throws on compile errors (for direct assertions). */
export function evalCel(
  expr: string,
  act: Readonly<Record<string, unknown>> = {},
  vars: readonly string[] = Object.keys(act),
): unknown {
  const r = compileCel(expr, { variables: vars })
  if (!r.ok) throw new Error(`compile error: ${r.error.message}`)
  return r.program(act)
}

/** Register one vitest case per row. */
export function runCases(
  rows: readonly CaseRow[],
  defaults: { act?: Readonly<Record<string, unknown>>; vars?: readonly string[] } = {},
): void {
  const cases: CelCase[] = rows.map((r) => (Array.isArray(r) ? { expr: r[0] as string, value: r[1] } : (r as CelCase)))
  it.each(cases.map((c) => [c.expr, c] as const))('%s', (_name, c) => {
    const act = c.act ?? defaults.act ?? {}
    const vars = c.vars ?? defaults.vars ?? Object.keys(act)
    const r = compileCel(c.expr, { variables: vars })
    if (c.compileError) {
      expect(r.ok, 'expected a compile error').toBe(false)
      if (!r.ok) expect(r.error.message).toMatch(c.compileError)
      return
    }
    if (!r.ok) throw new Error(`unexpected compile error: ${r.error.message} at ${r.error.start}`)
    if (c.type !== undefined) expect(r.type).toBe(c.type)
    if (c.error) {
      let thrown: unknown
      try {
        r.program(act)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(CelEvalError)
      expect((thrown as Error).message).toMatch(c.error)
      return
    }
    expect(celToJs(r.program(act))).toEqual(c.value)
  })
}
