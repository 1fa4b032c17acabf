import { apiGroup, isRecord, type KubeObject } from '../../core/index.js'
import { selectorMatches } from '../shared/selectors.js'
import { wildcardMatch } from '../shared/wildcard.js'

/** The admission request attributes matching needs. */
export interface MatchRequest {
  operation: string
  username: string
  groups: readonly string[]
  roles: readonly string[]
  clusterRoles: readonly string[]
  /** Labels of the resource's namespace (namespaceSelector). */
  namespaceLabels: Readonly<Record<string, string>>
}

export { CLUSTER_SCOPED_KINDS } from '../shared/cluster-scoped.js'

interface KindSelector {
  group: string
  version: string
  kind: string
  subresource: string
}

/**
 * Parse a Kyverno kind selector: Kind, version/Kind, group/version/Kind, each with an
 * optional /subresource (a lower-case last part after a Kind: `Pod/status`).
 */
export function parseKindSelector(text: string): KindSelector {
  const parts = text.split('/')
  const kindLike = (s: string | undefined): boolean => s !== undefined && /^[A-Z*?]/.test(s)
  const lastIsKind = kindLike(parts[parts.length - 1])
  switch (parts.length) {
    case 1:
      return { group: '*', version: '*', kind: parts[0] as string, subresource: '' }
    case 2:
      return lastIsKind
        ? { group: '*', version: parts[0] as string, kind: parts[1] as string, subresource: '' }
        : { group: '*', version: '*', kind: parts[0] as string, subresource: parts[1] as string }
    case 3:
      return lastIsKind
        ? { group: parts[0] as string, version: parts[1] as string, kind: parts[2] as string, subresource: '' }
        : { group: '*', version: parts[0] as string, kind: parts[1] as string, subresource: parts[2] as string }
    default:
      return {
        group: parts[0] as string,
        version: parts[1] as string,
        kind: parts[2] as string,
        subresource: parts.slice(3).join('/'),
      }
  }
}

/** Does a kind list (Kyverno syntax) cover this object's group, version and kind? */
export function kindsMatch(kinds: readonly unknown[], object: KubeObject): boolean {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
  const group = apiGroup(apiVersion)
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion
  const kind = typeof object.kind === 'string' ? object.kind : ''
  return kinds.some((k) => {
    if (typeof k !== 'string') return false
    if (k === '*') return true
    const s = parseKindSelector(k)
    if (s.subresource !== '' && s.subresource !== '*') return false
    return wildcardMatch(s.kind, kind) && wildcardMatch(s.group, group) && wildcardMatch(s.version, version)
  })
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

function metadata(object: KubeObject): Record<string, unknown> {
  return isRecord(object.metadata) ? object.metadata : {}
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

/** Does one ResourceDescription (kinds, names, namespaces, selectors, operations, annotations) hold? */
function descriptionMatches(d: Record<string, unknown>, object: KubeObject, request: MatchRequest): boolean {
  const meta = metadata(object)
  const name = str(meta.name)
  if (Array.isArray(d.kinds) && d.kinds.length > 0 && !kindsMatch(d.kinds, object)) return false
  if (typeof d.name === 'string' && d.name !== '' && !wildcardMatch(d.name, name)) return false
  if (
    Array.isArray(d.names) &&
    d.names.length > 0 &&
    !d.names.some((n) => typeof n === 'string' && wildcardMatch(n, name))
  )
    return false
  if (Array.isArray(d.namespaces) && d.namespaces.length > 0) {
    const ns = object.kind === 'Namespace' ? name : str(meta.namespace)
    if (!d.namespaces.some((n) => typeof n === 'string' && wildcardMatch(n, ns))) return false
  }
  if (isRecord(d.annotations)) {
    const annotations = stringMap(meta.annotations)
    for (const [k, v] of Object.entries(stringMap(d.annotations))) {
      if (!Object.entries(annotations).some(([ak, av]) => wildcardMatch(k, ak) && wildcardMatch(v, av))) return false
    }
  }
  if (d.selector !== undefined && d.selector !== null && !selectorMatches(d.selector, stringMap(meta.labels)))
    return false
  if (d.namespaceSelector !== undefined && d.namespaceSelector !== null) {
    const labels = object.kind === 'Namespace' ? stringMap(meta.labels) : request.namespaceLabels
    if (!selectorMatches(d.namespaceSelector, labels)) return false
  }
  if (Array.isArray(d.operations) && d.operations.length > 0 && !d.operations.includes(request.operation)) return false
  return true
}

function userMatches(filter: Record<string, unknown>, request: MatchRequest): boolean {
  const roles = Array.isArray(filter.roles) ? filter.roles.filter((r): r is string => typeof r === 'string') : []
  const clusterRoles = Array.isArray(filter.clusterRoles)
    ? filter.clusterRoles.filter((r): r is string => typeof r === 'string')
    : []
  const subjects = Array.isArray(filter.subjects) ? filter.subjects.filter(isRecord) : []
  if (roles.length > 0 && !roles.some((r) => request.roles.includes(r))) return false
  if (clusterRoles.length > 0 && !clusterRoles.some((r) => request.clusterRoles.includes(r))) return false
  if (subjects.length > 0) {
    const ok = subjects.some((s) => {
      const name = str(s.name)
      switch (s.kind) {
        case 'User':
          return wildcardMatch(name, request.username)
        case 'Group':
          return request.groups.some((g) => wildcardMatch(name, g))
        case 'ServiceAccount':
          return request.username === `system:serviceaccount:${str(s.namespace)}:${name}`
        default:
          return false
      }
    })
    if (!ok) return false
  }
  return true
}

function filterMatches(filter: unknown, object: KubeObject, request: MatchRequest): boolean {
  if (!isRecord(filter)) return false
  const resources = isRecord(filter.resources) ? filter.resources : {}
  return descriptionMatches(resources, object, request) && userMatches(filter, request)
}

/** Kyverno's match block: `any` (one filter), `all` (every filter) or the legacy single filter. */
export function matchBlock(block: unknown, object: KubeObject, request: MatchRequest): boolean {
  if (!isRecord(block)) return false
  if (Array.isArray(block.any) && block.any.length > 0) return block.any.some((f) => filterMatches(f, object, request))
  if (Array.isArray(block.all) && block.all.length > 0) return block.all.every((f) => filterMatches(f, object, request))
  return filterMatches(block, object, request)
}

/** Kyverno's exclude block: excluded when `any` filter matches, when `all` match, or the legacy filter matches. */
export function excludeBlock(block: unknown, object: KubeObject, request: MatchRequest): boolean {
  if (!isRecord(block)) return false
  if (Array.isArray(block.any) && block.any.length > 0) return block.any.some((f) => filterMatches(f, object, request))
  if (Array.isArray(block.all) && block.all.length > 0) return block.all.every((f) => filterMatches(f, object, request))
  const hasAnything = Object.keys(block).some(
    (k) => k === 'resources' || k === 'subjects' || k === 'roles' || k === 'clusterRoles',
  )
  return hasAnything && filterMatches(block, object, request)
}

/** All kind names a match block mentions (for indexing); undefined when any kind may match. */
export function kindNamesOf(block: unknown): Set<string> | undefined {
  if (!isRecord(block)) return undefined
  const filters = [
    ...(Array.isArray(block.any) ? block.any : []),
    ...(Array.isArray(block.all) ? block.all : []),
    block,
  ]
  const out = new Set<string>()
  let any = false
  for (const f of filters) {
    if (!isRecord(f) || !isRecord(f.resources)) continue
    const kinds = Array.isArray(f.resources.kinds) ? f.resources.kinds : []
    if (kinds.length === 0) any = true
    for (const k of kinds) {
      if (typeof k !== 'string') continue
      const kind = parseKindSelector(k).kind
      if (kind.includes('*') || kind.includes('?')) any = true
      else out.add(kind)
    }
  }
  return any || out.size === 0 ? undefined : out
}
