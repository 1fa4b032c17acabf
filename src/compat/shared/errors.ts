/**
 * Why a user policy could not be read or evaluated. The code, not the class, is what
 * callers switch on: each maps to one outcome (a load diagnostic, or a rule result).
 * - POLICY_INVALID: the policy or an expression in it is malformed, or a lookup it needs failed.
 * - UNSUPPORTED: a feature Palisade does not implement.
 * - CEL_COMPILE: a CEL expression does not compile.
 * - CEL_RUNTIME: a CEL expression failed to evaluate, or did not give what was needed.
 */
export type CompatErrorCode = 'POLICY_INVALID' | 'UNSUPPORTED' | 'CEL_COMPILE' | 'CEL_RUNTIME'

/** A user policy could not be read or evaluated: the rule's result is `error` (or the policy does not load). */
export class CompatError extends Error {
  constructor(
    readonly code: CompatErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** The one type test on compat errors; everything else switches on `code`. */
export function isCompatError(error: unknown): error is CompatError {
  return error instanceof CompatError
}

/** A feature Palisade does not implement: the rule's result is `error`, naming it. */
export function unsupported(feature: string, detail = ''): CompatError {
  return new CompatError('UNSUPPORTED', `unsupported Kyverno feature: ${feature}${detail ? ` (${detail})` : ''}`)
}
