import type { CelProgram } from '../cel/index.js'

/**
 * `variables` as in ValidatingAdmissionPolicy: a plain object whose properties are
 * evaluated at most once per resource, and only when an expression reads them.
 * An evaluation error is rethrown on every read.
 */
export function lazyVariables(
  definitions: readonly { name: string; program: CelProgram | undefined }[],
  activation: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {}
  for (const { name, program } of definitions) {
    let state: { value: unknown } | { error: unknown } | undefined
    Object.defineProperty(variables, name, {
      enumerable: true,
      get: () => {
        if (state === undefined) {
          try {
            state = { value: program?.(activation) }
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
