import {
  celToJs,
  CelEvalError,
  compileCel,
  lazyVariables,
  VAP_VARIABLES,
  type CelProgram,
  type FunctionTable,
} from '../../engine/index.js'
import { rewriteConstructions } from './cel-construct.js'
import { CompatError, isCompatError } from './errors.js'

/** The CEL environment of a policy kind beyond the VAP variables (Kyverno's libraries, message construction). */
export interface CelEnvironment {
  /** Variables besides VAP_VARIABLES that every expression may use (e.g. Kyverno's `resource`, `image`). */
  variables?: readonly string[]
  /** Functions besides the standard and Kubernetes libraries. */
  functions?: FunctionTable
  /** Accept message construction (`Object{...}`, `JSONPatch{...}`), compiled as map literals. */
  constructions?: boolean
}

/**
 * One CEL expression of a user policy, compiled when the policy is read. A compile failure
 * is kept (code CEL_COMPILE) and thrown where the expression is evaluated, so that readers
 * decide whether it rejects the policy (VAP, ValidatingPolicy) or only the rule (validate.cel).
 */
export interface CompiledCel {
  expression: string
  program: CelProgram | CompatError
  /** Every value of the program is plain JSON data (CelCompileResult.json). */
  json?: boolean
}

/**
 * The CEL programs of one policy, compiled once per distinct expression and variable set.
 * Each policy owns its own: nothing is shared across policies, nothing outlives the policy.
 * Every CEL expression of user policies (VAP, ValidatingPolicy, validate.cel,
 * celPreconditions, matchConditions) goes through the engine's compileCel with the VAP variables.
 */
export class CelPrograms {
  readonly #compiled = new Map<string, CompiledCel>()
  readonly #env: CelEnvironment

  constructor(env: CelEnvironment = {}) {
    this.#env = env
  }

  /** `dataVariables`: the fields of `variables` known to hold plain JSON data (CelCompileOptions.dataVariables). */
  compile(expression: string, extra: readonly string[] = [], dataVariables: readonly string[] = []): CompiledCel {
    const own = [...(this.#env.variables ?? []), ...extra]
    const names = own.length === 0 ? VAP_VARIABLES : [...VAP_VARIABLES, ...own]
    const key = `${names.join(',')}\u0000${dataVariables.join(',')}\u0000${expression}`
    let c = this.#compiled.get(key)
    if (c === undefined) {
      const text = this.#env.constructions === true ? rewriteConstructions(expression) : expression
      const r = compileCel(text, {
        variables: names,
        ...(dataVariables.length === 0 ? {} : { dataVariables }),
        ...(this.#env.functions === undefined ? {} : { functions: this.#env.functions }),
      })
      c = {
        expression,
        ...(r.ok && r.json ? { json: true } : {}),
        program: r.ok
          ? r.program
          : new CompatError(
              'CEL_COMPILE',
              `CEL expression "${expression.trim()}" does not compile: ${r.error.message}`,
            ),
      }
      this.#compiled.set(key, c)
    }
    return c
  }
}

/** The compile error message of a compiled expression, if it did not compile. */
export function celCompileError(c: CompiledCel): string | undefined {
  return isCompatError(c.program) ? c.program.message : undefined
}

/** Evaluate a compiled expression; engine evaluation errors become CEL_RUNTIME errors, a compile failure is thrown as is. */
export function celEval(c: CompiledCel, activation: Record<string, unknown>): unknown {
  const program = c.program
  if (isCompatError(program)) throw program
  try {
    return program(activation)
  } catch (error) {
    if (error instanceof CelEvalError)
      throw new CompatError('CEL_RUNTIME', `CEL expression "${c.expression.trim()}" failed: ${error.message}`)
    throw error
  }
}

/** Evaluate to a boolean; anything else is a CEL_RUNTIME error. */
export function celBool(c: CompiledCel, activation: Record<string, unknown>): boolean {
  const v = celEval(c, activation)
  if (typeof v !== 'boolean')
    throw new CompatError(
      'CEL_RUNTIME',
      `CEL expression "${c.expression.trim()}" returned ${v === null ? 'null' : typeof v}, expected bool`,
    )
  return v
}

/** Evaluate to a plain JS value (for messages). */
export function celValue(c: CompiledCel, activation: Record<string, unknown>): unknown {
  return celToJs(celEval(c, activation))
}

/**
 * `variables` as in ValidatingAdmissionPolicy: evaluated lazily, at most once, in the
 * order they are read; an error is rethrown on every read.
 */
export function lazyCelVariables(
  definitions: readonly { name: string; cel: CompiledCel }[],
  activation: Record<string, unknown>,
): Record<string, unknown> {
  return lazyVariables(
    definitions.map(({ name, cel }) => ({
      name,
      program: (a: Readonly<Record<string, unknown>>) => celEval(cel, a as Record<string, unknown>),
    })),
    activation,
  )
}
