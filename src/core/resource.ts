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

/**
 * The objects a YAML document holds, each with its pointer inside the document: the items of
 * a `kind: *List` (those that are objects with a kind, at `/items/N`), else the document
 * itself (at ''). The one place a List is flattened.
 */
export function objectsOfDocument(object: KubeObject): { object: KubeObject; prefix: string }[] {
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    const out: { object: KubeObject; prefix: string }[] = []
    object.items.forEach((item: unknown, i) => {
      if (isRecord(item) && typeof item.kind === 'string') out.push({ object: item, prefix: `/items/${i}` })
    })
    return out
  }
  return [{ object, prefix: '' }]
}

/** Namespace objects by name (the last one of a name wins), for the `namespaceObject` of namespaced objects. */
export function namespacesByName(objects: Iterable<KubeObject>): Map<string, KubeObject> {
  const namespaces = new Map<string, KubeObject>()
  for (const o of objects) {
    const name = isRecord(o.metadata) ? o.metadata.name : undefined
    if (o.kind === 'Namespace' && typeof name === 'string') namespaces.set(name, o)
  }
  return namespaces
}
