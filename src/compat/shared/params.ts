import { isRecord, type KubeObject } from '../../core/index.js'
import { selectorMatches } from './selectors.js'

/** Where params objects come from: the objects of the run (a scan's files, a test's resources). */
export type ParamSource = readonly KubeObject[]

/** Result of resolving paramRef: the params objects to evaluate with, or why there are none. */
export type ParamResolution = { params: unknown[] } | { missing: string; deny: boolean }

const meta = (o: KubeObject): Record<string, unknown> => (isRecord(o.metadata) ? o.metadata : {})

/**
 * Resolve a binding's paramRef against paramKind as the API server does: by name (in the
 * paramRef namespace, else the request's namespace for namespaced params), or by label
 * selector (every match). No paramKind: one evaluation with params null.
 * parameterNotFoundAction Deny (the default) turns a missing param into a failure.
 */
export function resolveParams(
  paramKind: unknown,
  paramRef: unknown,
  requestNamespace: string,
  objects: ParamSource,
): ParamResolution {
  if (!isRecord(paramKind)) return { params: [null] }
  if (!isRecord(paramRef)) return { missing: 'the policy has a paramKind but the binding has no paramRef', deny: true }
  const apiVersion = String(paramKind.apiVersion ?? '')
  const kind = String(paramKind.kind ?? '')
  const deny = paramRef.parameterNotFoundAction !== 'Allow'
  const candidates = objects.filter((o) => o.kind === kind && (apiVersion === '' || o.apiVersion === apiVersion))
  const namespace =
    typeof paramRef.namespace === 'string' && paramRef.namespace !== '' ? paramRef.namespace : requestNamespace
  const inNamespace = (o: KubeObject): boolean => {
    const ns = String(meta(o).namespace ?? '')
    return ns === '' || namespace === '' || ns === namespace
  }
  let found: KubeObject[]
  if (typeof paramRef.name === 'string' && paramRef.name !== '') {
    found = candidates.filter((o) => meta(o).name === paramRef.name && inNamespace(o))
  } else if (isRecord(paramRef.selector)) {
    const labels = (o: KubeObject): Record<string, string> =>
      isRecord(meta(o).labels) ? (meta(o).labels as Record<string, string>) : {}
    found = candidates.filter((o) => inNamespace(o) && selectorMatches(paramRef.selector, labels(o)))
  } else {
    return { missing: 'paramRef has neither name nor selector', deny: true }
  }
  if (found.length === 0)
    return { missing: `no ${kind} params object found for paramRef ${JSON.stringify(paramRef)}`, deny }
  return { params: found }
}
