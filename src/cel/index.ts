import { compileAst, makeProgram, parseExpression } from './compile.js'
import { CelCompileError } from './errors.js'
import { inlineScope, type InlineVariable } from './inline-variables.js'
import { mergeTables, type FunctionTable } from './overloads.js'
import { toJsValue } from './values.js'

export { CelEvalError, evalError } from './errors.js'
export { CelTimestamp } from './time-values.js'
export { overload, type FunctionTable, type Overload } from './overloads.js'
export type { InlineVariable } from './inline-variables.js'
export { VariableSet, type LazyVariables } from './lazy-variables.js'

/** Options for {@link compileCel}. */
export interface CelCompileOptions {
  /**
   * Names of the top-level variables the expression may use (object, oldObject, request,
   * params, namespaceObject, variables, authorizer..., plus policy-specific ones like `c`
   * for a forEach element). An unknown identifier is a compile error.
   */
  variables: readonly string[]
  /**
   * Most comprehension iterations (plus size-proportional charges for large strings and
   * lists) one evaluation may spend before it fails with a CelEvalError. Default 1,000,000.
   */
  costLimit?: number
  /**
   * Functions of the caller's environment, besides the standard and Kubernetes libraries
   * (e.g. Kyverno's `resource.Get`, a member function of a declared `resource` variable whose
   * value the caller puts in the activation). Their overloads join the built-in ones.
   */
  functions?: FunctionTable
  /**
   * Names of fields of the `variables` variable whose values are plain JSON data, e.g. the
   * composition variables whose own compile result said `json: true`. Field access and has()
   * on them then take the activation-data fast path. Only a claim the caller can stand by.
   */
  dataVariables?: readonly string[]
  /**
   * Composition variables compiled into the expression instead of read through the
   * `variables` object of the activation (see inline-variables.ts), in declaration order:
   * `variables.x` is then a value known now, x's own expression evaluated lazily at most
   * once per run of this program, or a field the caller sets in the activation. Reads
   * of other fields of `variables`, and `has(variables.x)`, still go through the activation.
   */
  inlineVariables?: ReadonlyMap<string, InlineVariable>
}

/**
 * A compiled expression. Activations hold plain JSON data (objects, arrays, strings,
 * numbers, booleans, null); an integral JS number is a CEL int, any other number a double.
 * Throws {@link CelEvalError} when evaluation fails; the result is a CEL value (see
 * README.md), which {@link celToJs} turns into plain JS.
 */
export type CelProgram = (activation: Readonly<Record<string, unknown>>) => unknown

/**
 * Outcome of {@link compileCel}: a program and its static result type ('bool', 'string',
 * 'int', 'double', 'list', 'map', 'optional_type', 'google.protobuf.Timestamp', ... or
 * 'dyn' when only known at run time), whether every result is plain JSON data (`json`: no CEL
 * wrapper value anywhere in it), or an error located by offsets into the expression.
 */
export type CelCompileResult =
  | { ok: true; program: CelProgram; type: string; json: boolean }
  | { ok: false; error: { message: string; start: number; end: number } }

/** Default cost limit of one evaluation (comprehension steps). */
export const DEFAULT_COST_LIMIT = 1_000_000

/**
 * Compile a CEL expression with Kubernetes ValidatingAdmissionPolicy semantics into a
 * JavaScript closure. Never throws for bad input: syntax errors, unknown identifiers or
 * functions, type errors that are certain at compile time and invalid regex literals
 * come back as `{ ok: false, error }`.
 *
 * @example
 * const r = compileCel('object.spec.replicas <= params.max', { variables: ['object', 'params'] })
 * if (r.ok) r.program({ object: { spec: { replicas: 3 } }, params: { max: 5 } }) // true
 */
export function compileCel(expression: string, options: CelCompileOptions): CelCompileResult {
  try {
    const ast = parseExpression(expression)
    const { root, slots, memoSlots } = compileAst(
      ast,
      options.variables,
      options.functions === undefined ? undefined : mergeTables([options.functions]),
      options.dataVariables,
      options.inlineVariables === undefined ? undefined : inlineScope(options.inlineVariables, parseExpression),
    )
    const program = makeProgram(root, slots, memoSlots, options.costLimit ?? DEFAULT_COST_LIMIT)
    return { ok: true, program, type: root.type, json: root.json === true }
  } catch (error) {
    if (error instanceof CelCompileError)
      return { ok: false, error: { message: error.message, start: error.start, end: error.end } }
    // Pathological nesting can exhaust the stack while compiling.
    if (error instanceof RangeError)
      return { ok: false, error: { message: 'expression is too complex', start: 0, end: expression.length } }
    throw error
  }
}

/**
 * Convert a CEL result back to plain JSON-ish JS for messages: optional none -> null,
 * optional.of(x) -> x, uint and integral double -> number, int beyond 2^53 -> decimal
 * string, bytes -> base64, duration -> "1.5s", timestamp -> RFC 3339, type -> its name,
 * Kubernetes values (quantity, URL, IP, CIDR, semver) -> their string form.
 *
 * @example
 * celToJs(program({ object })) // e.g. ['app', 'sidecar'] for `object.spec.containers.map(c, c.name)`
 */
export function celToJs(value: unknown): unknown {
  return toJsValue(value)
}
export {
  withBudget,
  withRequestDeadline,
  spend,
  currentBudget,
  EvalBudget,
  EvalLimitError,
  RequestDeadlineError,
  DEFAULT_EVAL_COST,
  DEFAULT_EVAL_TIMEOUT_MS,
} from './eval-budget.js'
export type { EvalLimits, LimitKind } from './eval-budget.js'
export { compareQuantities, parseQuantity } from './lib/quantity.js'
