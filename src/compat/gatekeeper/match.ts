import { apiGroup, isRecord, type KubeObject } from '../../core/index.js'
import { selectorMatches } from '../shared/selectors.js'

/** What matching needs beyond the object: its namespace, and whether its kind is cluster-scoped. */
export interface MatchTarget {
  object: KubeObject
  /** The namespace's labels, when the namespace is known. */
  namespaceLabels: Readonly<Record<string, string>> | undefined
  clusterScoped: boolean
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const labelsOf = (o: KubeObject): Record<string, string> => {
  const meta = isRecord(o.metadata) ? o.metadata : {}
  const out: Record<string, string> = {}
  if (isRecord(meta.labels)) for (const [k, v] of Object.entries(meta.labels)) if (typeof v === 'string') out[k] = v
  return out
}

/** Gatekeeper's namespace and name globs: exact, `prefix*` or `*suffix`. */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1))
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1))
  return pattern === value
}

/** spec.match of a constraint: kinds, scope, namespaces, excludedNamespaces, labelSelector, namespaceSelector, name. */
export function constraintMatches(match: Record<string, unknown>, t: MatchTarget): boolean {
  const o = t.object
  const meta = isRecord(o.metadata) ? o.metadata : {}
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : ''
  const group = apiGroup(apiVersion)
  const kind = String(o.kind ?? '')
  const kinds = Array.isArray(match.kinds) ? match.kinds.filter(isRecord) : []
  if (kinds.length > 0) {
    const ok = kinds.some((k) => {
      const groups = list(k.apiGroups)
      const ks = list(k.kinds)
      return (
        (groups.length === 0 || groups.includes('*') || groups.includes(group)) &&
        (ks.length === 0 || ks.includes('*') || ks.includes(kind))
      )
    })
    if (!ok) return false
  }
  const isNamespace = kind === 'Namespace' && group === ''
  const namespaced = !t.clusterScoped
  // A namespaced object without a namespace is created in "default" (as kubectl and gator do).
  const namespace = isNamespace
    ? String(meta.name ?? '')
    : typeof meta.namespace === 'string' && meta.namespace !== ''
      ? meta.namespace
      : namespaced
        ? 'default'
        : ''
  const scope = match.scope
  if (scope === 'Cluster' && namespaced) return false
  if (scope === 'Namespaced' && !namespaced) return false
  const namespaces = list(match.namespaces)
  if (namespaces.length > 0 && (namespaced || isNamespace) && !namespaces.some((p) => globMatches(p, namespace)))
    return false
  const excluded = list(match.excludedNamespaces)
  if (excluded.length > 0 && (namespaced || isNamespace) && excluded.some((p) => globMatches(p, namespace)))
    return false
  if (typeof match.name === 'string' && match.name !== '' && !globMatches(match.name, String(meta.name ?? '')))
    return false
  if (isRecord(match.labelSelector) && !selectorMatches(match.labelSelector, labelsOf(o))) return false
  if (isRecord(match.namespaceSelector)) {
    if (isNamespace) {
      if (!selectorMatches(match.namespaceSelector, labelsOf(o))) return false
    } else if (namespaced) {
      if (!selectorMatches(match.namespaceSelector, t.namespaceLabels ?? {})) return false
    }
  }
  return true
}
