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
  return compileMatch(match)(t)
}

/** A (group, kind) test compiled from spec.match.kinds; undefined when any kind matches. */
function kindTest(match: Record<string, unknown>): ((group: string, kind: string) => boolean) | undefined {
  const kinds = Array.isArray(match.kinds) ? match.kinds.filter(isRecord) : []
  if (kinds.length === 0) return undefined
  const entries = kinds.map((k) => {
    const groups = list(k.apiGroups)
    const ks = list(k.kinds)
    return {
      groups: groups.length === 0 || groups.includes('*') ? undefined : new Set(groups),
      kinds: ks.length === 0 || ks.includes('*') ? undefined : new Set(ks),
    }
  })
  if (entries.some((e) => e.groups === undefined && e.kinds === undefined)) return undefined
  return (group, kind) =>
    entries.some((e) => (e.groups === undefined || e.groups.has(group)) && (e.kinds === undefined || e.kinds.has(kind)))
}

/**
 * spec.match compiled once per constraint into a predicate: the lists and selectors are
 * read when the constraint is read, and a match with no criterion but kinds costs a set lookup.
 */
/** A compiled spec.match; `needsScope` says whether it reads MatchTarget.clusterScoped (else any value will do). */
export interface CompiledMatch {
  (t: MatchTarget): boolean
  readonly needsScope: boolean
}

export function compileMatch(match: Record<string, unknown>): CompiledMatch {
  const kindOk = kindTest(match)
  const scope = match.scope
  const namespaces = list(match.namespaces)
  const excluded = list(match.excludedNamespaces)
  const name = typeof match.name === 'string' && match.name !== '' ? match.name : undefined
  const labelSelector = isRecord(match.labelSelector) ? match.labelSelector : undefined
  const namespaceSelector = isRecord(match.namespaceSelector) ? match.namespaceSelector : undefined
  const needsNamespace = namespaces.length > 0 || excluded.length > 0 || namespaceSelector !== undefined
  const predicate = (t: MatchTarget): boolean => {
    const o = t.object
    const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : ''
    const group = apiGroup(apiVersion)
    const kind = typeof o.kind === 'string' ? o.kind : String(o.kind ?? '')
    if (kindOk !== undefined && !kindOk(group, kind)) return false
    const namespaced = !t.clusterScoped
    if (scope === 'Cluster' && namespaced) return false
    if (scope === 'Namespaced' && !namespaced) return false
    if (!needsNamespace && name === undefined && labelSelector === undefined) return true
    const meta = isRecord(o.metadata) ? o.metadata : {}
    const isNamespace = kind === 'Namespace' && group === ''
    // A namespaced object without a namespace is created in "default" (as kubectl and gator do).
    const namespace = isNamespace
      ? String(meta.name ?? '')
      : typeof meta.namespace === 'string' && meta.namespace !== ''
        ? meta.namespace
        : namespaced
          ? 'default'
          : ''
    if (namespaces.length > 0 && (namespaced || isNamespace) && !namespaces.some((p) => globMatches(p, namespace)))
      return false
    if (excluded.length > 0 && (namespaced || isNamespace) && excluded.some((p) => globMatches(p, namespace)))
      return false
    if (name !== undefined && !globMatches(name, String(meta.name ?? ''))) return false
    if (labelSelector !== undefined && !selectorMatches(labelSelector, labelsOf(o))) return false
    if (namespaceSelector !== undefined) {
      if (isNamespace) {
        if (!selectorMatches(namespaceSelector, labelsOf(o))) return false
      } else if (namespaced) {
        if (!selectorMatches(namespaceSelector, t.namespaceLabels ?? {})) return false
      }
    }
    return true
  }
  return Object.assign(predicate, { needsScope: scope === 'Cluster' || scope === 'Namespaced' || needsNamespace })
}
