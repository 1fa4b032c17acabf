import { isRecord } from '../../../core/index.js'

/**
 * An apply configuration merged into an object as server-side apply does for a
 * MutatingAdmissionPolicy / Kyverno MutatingPolicy (structured-merge-diff with the
 * built-in types' schemas): maps merge field by field; lists the schema declares as maps
 * (`x-kubernetes-list-type: map`) merge element by element on their keys, elements the
 * configuration does not name keep their place and new ones are appended; sets (finalizers)
 * take the union; every other list is atomic and replaced; a `null` removes the field.
 */

/** Associative list keys of the built-in types, by field name (the element shape tells ports apart). */
const LIST_MAP_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  resourceClaims: ['name'],
  schedulingGates: ['name'],
  ownerReferences: ['uid'],
  conditions: ['type'],
}

const SET_LISTS: ReadonlySet<string> = new Set(['finalizers'])

/** Keys of a `ports` list: containerPort+protocol in containers, port+protocol in Services. */
function portKeys(items: readonly unknown[]): readonly string[] | undefined {
  if (items.every((i) => isRecord(i) && Object.hasOwn(i, 'containerPort'))) return ['containerPort', 'protocol']
  if (items.every((i) => isRecord(i) && Object.hasOwn(i, 'port'))) return ['port', 'protocol']
  return undefined
}

/** An element's identity under the list's keys (protocol defaults to TCP, as the API server defaults it). */
function identity(item: unknown, keys: readonly string[]): string | undefined {
  if (!isRecord(item)) return undefined
  const values = keys.map((k) => (k === 'protocol' ? (item[k] ?? 'TCP') : item[k]))
  if (values.some((v) => v === undefined)) return undefined
  return JSON.stringify(values)
}

function mergeList(field: string, live: unknown, applied: unknown[]): unknown[] {
  if (!Array.isArray(live)) return applied.map((v) => mergeValue('', undefined, v))
  if (SET_LISTS.has(field))
    return [...live, ...applied.filter((a) => !live.some((l) => JSON.stringify(l) === JSON.stringify(a)))]
  const keys = field === 'ports' ? portKeys([...live, ...applied]) : LIST_MAP_KEYS[field]
  if (keys === undefined) return applied.map((v) => mergeValue('', undefined, v))
  const appliedIds = applied.map((a) => identity(a, keys))
  // An element without its keys cannot be merged: the list is taken as written, as an atomic one would be.
  if (appliedIds.some((id) => id === undefined)) return applied.map((v) => mergeValue('', undefined, v))
  const out = live.map((item) => {
    const id = identity(item, keys)
    const i = id === undefined ? -1 : appliedIds.indexOf(id)
    return i < 0 ? item : mergeValue('', item, applied[i])
  })
  const liveIds = new Set(live.map((l) => identity(l, keys)))
  applied.forEach((a, i) => {
    if (!liveIds.has(appliedIds[i])) out.push(mergeValue('', undefined, a))
  })
  return out
}

function mergeValue(field: string, live: unknown, applied: unknown): unknown {
  if (isRecord(applied)) {
    const out: Record<string, unknown> = isRecord(live) ? { ...live } : {}
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete out[k]
      else out[k] = mergeValue(k, out[k], v)
    }
    return out
  }
  if (Array.isArray(applied)) return mergeList(field, live, applied)
  return applied
}

/** Merge an apply configuration (a CEL `Object{...}` result) into an object; returns a new object. */
export function mergeApplyConfiguration<T>(object: T, configuration: Record<string, unknown>): T {
  return mergeValue('', object, configuration) as T
}
