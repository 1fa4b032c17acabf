/** Errors of Rego compilation and evaluation, with OPA's error codes. */

export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'

export class RegoError extends Error {
  override readonly name = 'RegoError'
  constructor(
    readonly code: RegoErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `${line}: ${message}`)
  }
}

/**
 * An error raised by a built-in function. OPA (and so Gatekeeper) treats it as undefined
 * unless evaluation is strict; a type error of an operand is an eval_type_error.
 */
export class BuiltinError extends Error {
  override readonly name = 'BuiltinError'
  constructor(
    message: string,
    readonly code: 'eval_type_error' | 'eval_builtin_error' = 'eval_builtin_error',
  ) {
    super(message)
  }
}

export const isRegoError = (e: unknown): e is RegoError => e instanceof RegoError
