import { isRecord, ToolError } from '../core/index.js'
import type { KubeClient } from './client.js'

/** One listable resource type the API server serves (at its group's preferred version). */
export interface ApiResource {
  group: string
  version: string
  /** Plural name used in URLs (deployments). */
  resource: string
  kind: string
  namespaced: boolean
  verbs: readonly string[]
}

/** apiVersion as objects carry it: v1, apps/v1. */
export function apiVersionOf(r: Pick<ApiResource, 'group' | 'version'>): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`
}

/** URL path of a resource type's collection, cluster-wide or in one namespace. */
export function collectionPath(r: ApiResource, namespace?: string): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`
  return namespace !== undefined && r.namespaced
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}`
    : `${base}/${r.resource}`
}

/**
 * Every top-level resource type the server lists (no subresources), at each group's
 * preferred version, as `kubectl api-resources` shows them. A group whose discovery fails
 * (an aggregated API that is down) is reported in `failed`, never silently dropped.
 */
export async function discoverResources(client: KubeClient): Promise<{ resources: ApiResource[]; failed: string[] }> {
  const groupVersions: Array<{ group: string; version: string; path: string }> = [
    { group: '', version: 'v1', path: '/api/v1' },
  ]
  const { body } = await client.request('GET', '/apis')
  if (!isRecord(body) || !Array.isArray(body.groups))
    throw new ToolError('CLUSTER_FAILED', 'GET /apis: not an APIGroupList')
  for (const g of body.groups) {
    if (
      !isRecord(g) ||
      typeof g.name !== 'string' ||
      !isRecord(g.preferredVersion) ||
      typeof g.preferredVersion.version !== 'string'
    )
      continue
    groupVersions.push({
      group: g.name,
      version: g.preferredVersion.version,
      path: `/apis/${g.name}/${g.preferredVersion.version}`,
    })
  }
  const resources: ApiResource[] = []
  const failed: string[] = []
  for (const gv of groupVersions) {
    let list: unknown
    try {
      list = (await client.request('GET', gv.path)).body
    } catch (error) {
      if (!(error instanceof ToolError)) throw error
      failed.push(`${gv.path}: ${error.message}`)
      continue
    }
    if (!isRecord(list) || !Array.isArray(list.resources)) {
      failed.push(`${gv.path}: not an APIResourceList`)
      continue
    }
    for (const r of list.resources) {
      if (!isRecord(r) || typeof r.name !== 'string' || r.name.includes('/') || typeof r.kind !== 'string') continue
      const verbs = Array.isArray(r.verbs) ? r.verbs.filter((v): v is string => typeof v === 'string') : []
      resources.push({
        group: gv.group,
        version: gv.version,
        resource: r.name,
        kind: r.kind,
        namespaced: r.namespaced === true,
        verbs,
      })
    }
  }
  return { resources, failed }
}
