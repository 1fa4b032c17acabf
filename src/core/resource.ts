/** A Kubernetes object as plain JSON data. */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: unknown
  kind?: unknown
  metadata?: unknown
}

/** Identity of a Kubernetes object. `namespace` is absent for cluster-scoped or unset. */
export interface ResourceRef {
  apiVersion: string
  kind: string
  namespace?: string
  name: string
}

/** Extract a ResourceRef from an object; missing fields become ''. */
export function resourceRef(object: KubeObject): ResourceRef {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  const ref: ResourceRef = {
    apiVersion: typeof object.apiVersion === 'string' ? object.apiVersion : '',
    kind: typeof object.kind === 'string' ? object.kind : '',
    name: typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '',
  }
  if (typeof meta.namespace === 'string' && meta.namespace !== '') ref.namespace = meta.namespace
  return ref
}

/** The API group of an apiVersion ('' for the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? '' : apiVersion.slice(0, slash)
}

/** `Kind/name` or `Kind/namespace/name`, for messages. */
export function formatResourceRef(ref: ResourceRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
