import { celToJs, CelEvalError, compileCel, VAP_VARIABLES, type CelProgram } from '../../engine/index.js'
import { KyvernoError } from '../kyverno/errors.js'

/** A CEL expression that failed to compile, with where. */
export class CelCompileFailure extends KyvernoError {
}

/** A CEL expression that failed to evaluate (or did not give what was needed). */
export class CelRuntimeFailure extends KyvernoError {
}

const cache = new Map<string, CelProgram | CelCompileFailure>()

/**
 * Compile once per distinct expression and variable set. Every CEL expression of user
 * policies (VAP, ValidatingPolicy, validate.cel, matchConditions) goes through the
 * engine's compileCel with the VAP variables.
 */
export function celProgram(expression: string, extra: readonly string[] = []): CelProgram {
  const names = extra.length === 0 ? VAP_VARIABLES : [...VAP_VARIABLES, ...extra]
  const key = `${names.join(',')}\u0000${expression}`
  let p = cache.get(key)
  if (p === undefined) {
    const r = compileCel(expression, { variables: names })
    p = r.ok ? r.program : new CelCompileFailure(`CEL expression "${expression.trim()}" does not compile: ${r.error.message}`)
    if (cache.size > 50_000) cache.clear()
    cache.set(key, p)
  }
  if (p instanceof CelCompileFailure) throw p
  return p
}

/** Check that an expression compiles; returns the error message when it does not. */
export function celCompileError(expression: string, extra: readonly string[] = []): string | undefined {
  try {
    celProgram(expression, extra)
    return undefined
  } catch (error) {
    if (error instanceof CelCompileFailure) return error.message
    throw error
  }
}

/** Evaluate an expression; engine evaluation errors become CelRuntimeFailure. */
export function celEval(expression: string, activation: Record<string, unknown>, extra: readonly string[] = []): unknown {
  const program = celProgram(expression, extra)
  try {
    return program(activation)
  } catch (error) {
    if (error instanceof CelEvalError) throw new CelRuntimeFailure(`CEL expression "${expression.trim()}" failed: ${error.message}`)
    throw error
  }
}

/** Evaluate to a boolean; anything else is a CelRuntimeFailure. */
export function celBool(expression: string, activation: Record<string, unknown>, extra: readonly string[] = []): boolean {
  const v = celEval(expression, activation, extra)
  if (typeof v !== 'boolean') throw new CelRuntimeFailure(`CEL expression "${expression.trim()}" returned ${v === null ? 'null' : typeof v}, expected bool`)
  return v
}

/** Evaluate to a plain JS value (for messages). */
export function celValue(expression: string, activation: Record<string, unknown>): unknown {
  return celToJs(celEval(expression, activation))
}

/**
 * `variables` as in ValidatingAdmissionPolicy: evaluated lazily, at most once, in the
 * order they are read; an error is rethrown on every read.
 */
export function lazyCelVariables(definitions: readonly { name: string; expression: string }[], activation: Record<string, unknown>): Record<string, unknown> {
  const variables: Record<string, unknown> = {}
  for (const { name, expression } of definitions) {
    let state: { value: unknown } | { error: unknown } | undefined
    Object.defineProperty(variables, name, {
      enumerable: true,
      get: () => {
        if (state === undefined) {
          try {
            state = { value: celEval(expression, activation) }
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
