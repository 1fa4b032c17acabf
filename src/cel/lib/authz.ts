import { evalError } from '../errors.js'
import { overload, type FunctionTable, type Overload } from '../overloads.js'

/**
 * The Kubernetes authorizer library needs an API server to answer SubjectAccessReviews.
 * Palisade has none, so `authorizer` compiles when declared but every check is an
 * evaluation error that names the unsupported feature.
 */

const METHODS: Readonly<Record<string, number>> = {
  path: 1,
  group: 1,
  serviceAccount: 2,
  resource: 1,
  subresource: 1,
  namespace: 1,
  name: 1,
  fieldSelector: 1,
  labelSelector: 1,
  check: 1,
  allowed: 0,
  reason: 0,
  errored: 0,
  error: 0,
}

function unsupported(method: string): Overload {
  const params = ['dyn', ...new Array<string>(METHODS[method] ?? 0).fill('dyn')]
  return overload(params, 'dyn', () => {
    throw evalError(`authorizer.${method}() is not supported: authorization checks need a Kubernetes API server`)
  })
}

/** Authorizer function table (every method fails at evaluation). */
export const AUTHZ_FUNCTIONS: FunctionTable = Object.fromEntries(
  Object.keys(METHODS).map((m) => [m, { member: [unsupported(m)] }]),
)
