import { isRecord, type KubeObject } from '../../../core/index.js'
import { NO_USER, type UserInfo } from '../request.js'

/** A cli.kyverno.io Values file: variables by policy, rule and resource; namespace labels. */
export interface TestValues {
  global: Record<string, unknown>
  /** policy name → rule name → values */
  rules: Map<string, Map<string, Record<string, unknown>>>
  /** policy name → resource name → values */
  resources: Map<string, Map<string, Record<string, unknown>>>
  namespaceLabels: Map<string, Record<string, string>>
  /** Namespace objects the values file declares (`namespaces`), for namespaceObject and lookups. */
  namespaces?: KubeObject[]
}

/** No values at all. */
export const NO_VALUES: TestValues = { global: {}, rules: new Map(), resources: new Map(), namespaceLabels: new Map() }

const map = (v: unknown): Record<string, unknown> => (isRecord(v) ? (v as Record<string, unknown>) : {})

/** Read a Values document. */
export function readValues(doc: KubeObject | undefined): TestValues {
  if (doc === undefined) return NO_VALUES
  const values: TestValues = {
    global: map(doc.globalValues),
    rules: new Map(),
    resources: new Map(),
    namespaceLabels: new Map(),
  }
  for (const p of Array.isArray(doc.policies) ? doc.policies : []) {
    if (!isRecord(p) || typeof p.name !== 'string') continue
    const rules = new Map<string, Record<string, unknown>>()
    for (const r of Array.isArray(p.rules) ? p.rules : [])
      if (isRecord(r) && typeof r.name === 'string') rules.set(r.name, map(r.values))
    const resources = new Map<string, Record<string, unknown>>()
    for (const r of Array.isArray(p.resources) ? p.resources : [])
      if (isRecord(r) && typeof r.name === 'string') resources.set(r.name, map(r.values))
    values.rules.set(p.name, rules)
    values.resources.set(p.name, resources)
  }
  for (const n of Array.isArray(doc.namespaceSelector) ? doc.namespaceSelector : []) {
    if (!isRecord(n) || typeof n.name !== 'string') continue
    const labels: Record<string, string> = {}
    for (const [k, v] of Object.entries(map(n.labels))) labels[k] = String(v)
    values.namespaceLabels.set(n.name, labels)
  }
  const namespaces = (Array.isArray(doc.namespaces) ? doc.namespaces : []).filter(
    (n): n is KubeObject => isRecord(n) && n.kind === 'Namespace',
  )
  return namespaces.length === 0 ? values : { ...values, namespaces }
}

/** Read a UserInfo document (request.userInfo, roles, clusterRoles). */
export function readUserInfo(doc: KubeObject | undefined): UserInfo {
  if (doc === undefined) return NO_USER
  const info = map(doc.userInfo)
  const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
  return {
    username: typeof info.username === 'string' ? info.username : '',
    groups: strs(info.groups),
    roles: strs(doc.roles),
    clusterRoles: strs(doc.clusterRoles),
  }
}

/** Image data a Context file provides (spec.images: image, config, manifest). */
export function readContextImages(doc: KubeObject | undefined): Record<string, unknown>[] {
  if (doc === undefined) return []
  const spec = map(doc.spec)
  return (Array.isArray(spec.images) ? spec.images : []).filter(isRecord) as Record<string, unknown>[]
}

/** Objects a Context file makes available to lookups (spec.resources). */
export function readContextResources(doc: KubeObject | undefined): KubeObject[] {
  if (doc === undefined) return []
  const spec = map(doc.spec)
  return (Array.isArray(spec.resources) ? spec.resources : []).filter(isRecord) as KubeObject[]
}
