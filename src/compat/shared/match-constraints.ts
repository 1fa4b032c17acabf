import { apiGroup, isRecord, type KubeObject } from '../../core/index.js'
import { selectorMatches } from './selectors.js'

const IRREGULAR: Readonly<Record<string, string>> = { Endpoints: 'endpoints' }

/** The plural resource name of a kind, as the API server derives it for built-in kinds. */
export function resourceOf(kind: string): string {
  const irregular = IRREGULAR[kind]
  if (irregular) return irregular
  const lower = kind.toLowerCase()
  if (lower.endsWith('s') || lower.endsWith('x') || lower.endsWith('ch') || lower.endsWith('sh')) return `${lower}es`
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`
  return `${lower}s`
}

/** Request attributes matching needs. */
export interface ConstraintRequest {
  operation: string
  /** Labels of the object's namespace. */
  namespaceLabels: Readonly<Record<string, string>>
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const has = (values: string[], value: string): boolean => values.includes('*') || values.includes(value)

function ruleMatches(rule: unknown, object: KubeObject, operation: string): boolean {
  if (!isRecord(rule)) return false
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
  const group = apiGroup(apiVersion)
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion
  const kind = typeof object.kind === 'string' ? object.kind : ''
  if (!has(list(rule.apiGroups), group)) return false
  if (!has(list(rule.apiVersions), version)) return false
  const resources = list(rule.resources)
  const resource = resourceOf(kind)
  if (!resources.some((r) => r === '*' || r === '*/*' || r === resource || r === `${resource}/*`)) return false
  const operations = list(rule.operations)
  if (operations.length > 0 && !has(operations, operation)) return false
  const names = list(rule.resourceNames)
  if (names.length > 0) {
    const meta = isRecord(object.metadata) ? object.metadata : {}
    if (!names.includes(String(meta.name ?? ''))) return false
  }
  const scope = rule.scope
  if (scope === 'Cluster' || scope === 'Namespaced') {
    const meta = isRecord(object.metadata) ? object.metadata : {}
    const namespaced = typeof meta.namespace === 'string' && meta.namespace !== ''
    if ((scope === 'Cluster') === namespaced) return false
  }
  return true
}

/**
 * ValidatingAdmissionPolicy matchConstraints / binding matchResources: resourceRules,
 * excludeResourceRules, namespaceSelector, objectSelector. An absent block matches all.
 */
export function constraintsMatch(constraints: unknown, object: KubeObject, request: ConstraintRequest): boolean {
  if (!isRecord(constraints)) return true
  const rules = Array.isArray(constraints.resourceRules) ? constraints.resourceRules : undefined
  if (rules !== undefined && !rules.some((r) => ruleMatches(r, object, request.operation))) return false
  const excluded = Array.isArray(constraints.excludeResourceRules) ? constraints.excludeResourceRules : []
  if (excluded.some((r) => ruleMatches(r, object, request.operation))) return false
  const meta = isRecord(object.metadata) ? object.metadata : {}
  if (isRecord(constraints.namespaceSelector) && Object.keys(constraints.namespaceSelector).length > 0) {
    const namespaced = typeof meta.namespace === 'string' && meta.namespace !== ''
    const labels = object.kind === 'Namespace' ? stringMap(meta.labels) : request.namespaceLabels
    // Cluster-scoped objects other than Namespaces are never excluded by a namespaceSelector.
    if ((namespaced || object.kind === 'Namespace') && !selectorMatches(constraints.namespaceSelector, labels))
      return false
  }
  if (isRecord(constraints.objectSelector) && Object.keys(constraints.objectSelector).length > 0) {
    if (!selectorMatches(constraints.objectSelector, stringMap(meta.labels))) return false
  }
  return true
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

/** Kind names a matchConstraints block can match (for indexing); undefined = any. */
export function constraintKinds(constraints: unknown, known: readonly string[]): Set<string> | undefined {
  if (!isRecord(constraints) || !Array.isArray(constraints.resourceRules)) return undefined
  const out = new Set<string>()
  for (const rule of constraints.resourceRules) {
    const resources = isRecord(rule) ? list(rule.resources) : []
    if (resources.some((r) => r.includes('*'))) return undefined
    for (const r of resources) {
      const base = r.split('/')[0] as string
      const kind = known.find((k) => resourceOf(k) === base)
      if (kind === undefined) return undefined
      out.add(kind)
    }
  }
  return out
}
