import { VariableSet, type CelProgram } from '../cel/index.js'

/**
 * `variables` as in ValidatingAdmissionPolicy: a plain object whose properties are
 * evaluated at most once per resource, and only when an expression reads them.
 * An evaluation error is rethrown on every read. For a caller that evaluates the same
 * definitions many times, `new VariableSet(definitions).bind(activation)` (cel/lazy-variables.ts)
 * does the same without a property definition per evaluation.
 */
export function lazyVariables(
  definitions: readonly { name: string; program: CelProgram | undefined }[],
  activation: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return new VariableSet(definitions).bind(activation).toObject()
}
