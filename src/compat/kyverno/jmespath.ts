import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath'
import { EvalLimitError, spend } from '../../engine/index.js'
import { CompatError, isCompatError } from '../shared/errors.js'
import { registerKyvernoFunctions } from './functions.js'

/** A JMESPath engine with Kyverno's custom functions. */
export interface Jmespath {
  /** Evaluate an expression over data; throws a POLICY_INVALID CompatError on syntax or runtime errors. */
  search(expression: string, data: unknown): unknown
}

type Interpreter = typeof TreeInterpreter
type Ast = ReturnType<typeof compile>

const astCache = new Map<string, Ast>()

function parse(expression: string): Ast {
  let ast = astCache.get(expression)
  if (ast === undefined) {
    try {
      ast = compile(expression, { enable_legacy_literals: true })
    } catch (error) {
      throw new CompatError(
        'POLICY_INVALID',
        `invalid JMESPath expression "${expression}": ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    if (astCache.size > 20_000) astCache.clear()
    astCache.set(expression, ast)
  }
  return ast
}

/**
 * Create an interpreter of its own (no global function table is touched) with Kyverno's
 * functions; `now` is the clock the time functions read (passed in: this module is pure).
 */
export function createJmespath(now: () => Date): Jmespath {
  const Ctor = TreeInterpreter.constructor as new () => Interpreter
  const interpreter = new Ctor()
  registerKyvernoFunctions(interpreter.runtime, now)
  return {
    search(expression, data) {
      const ast = parse(expression)
      spend(1)
      try {
        return interpreter.search(ast, data as JSONValue)
      } catch (error) {
        if (isCompatError(error) || error instanceof EvalLimitError) throw error
        throw new CompatError(
          'POLICY_INVALID',
          `JMESPath query "${expression}" failed: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
    },
  }
}
