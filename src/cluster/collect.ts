import { ToolError, type Diagnostic, type KubeObject } from '../core/index.js'
import type { KubeClient } from './client.js'
import { apiVersionOf, discoverResources, type ApiResource } from './discovery.js'
import { listObjects } from './list.js'

/** Kinds never listed for "every kind": high-churn records, not configuration (and huge in a busy cluster). */
const NOISE_KINDS = new Set([
  'Event',
  'Lease',
  'EndpointSlice',
  'Endpoints',
  'ComponentStatus',
  'TokenReview',
  'SubjectAccessReview',
  'SelfSubjectAccessReview',
  'LocalSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'Binding',
])

export interface CollectOptions {
  /** Kinds to read; 'all' = every listable kind except noise (Events, Leases, ...). Namespaces are always read. */
  kinds: ReadonlySet<string> | 'all'
  /** Only this namespace's objects (and cluster-scoped ones). */
  namespace?: string
  pageSize?: number
  onObject(object: KubeObject): void
}

/**
 * Read the live objects of the wanted kinds through discovery and paged lists, handing each
 * to `onObject` as it arrives (the caller decides what to keep). A kind served by several
 * groups (Event in v1 and events.k8s.io) is read once, from the first group discovery lists.
 * A type that cannot be listed (RBAC, an aggregated API that is down) becomes an error
 * diagnostic: what could not be read was not checked, so it must not pass quietly.
 */
export async function collectLive(
  client: KubeClient,
  options: CollectOptions,
): Promise<{ types: ApiResource[]; diagnostics: Diagnostic[] }> {
  const { resources, failed } = await discoverResources(client)
  const diagnostics: Diagnostic[] = failed.map((message) => ({
    code: 'CLUSTER_FAILED',
    message: `API discovery failed: ${message}`,
    hint: 'objects of this API group were not checked',
  }))
  const seen = new Set<string>()
  const types: ApiResource[] = []
  for (const r of resources) {
    if (!r.verbs.includes('list') || seen.has(r.kind)) continue
    const wanted =
      r.kind === 'Namespace' || (options.kinds === 'all' ? !NOISE_KINDS.has(r.kind) : options.kinds.has(r.kind))
    if (!wanted) continue
    seen.add(r.kind)
    types.push(r)
  }
  for (const type of types) {
    try {
      for await (const object of listObjects(client, type, {
        ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      })) {
        if (options.namespace !== undefined && type.kind === 'Namespace' && nameOf(object) !== options.namespace)
          continue
        options.onObject(object)
      }
    } catch (error) {
      if (!(error instanceof ToolError) || error.code !== 'CLUSTER_FAILED') throw error
      diagnostics.push({
        code: 'CLUSTER_FAILED',
        message: `cannot list ${type.resource}.${apiVersionOf(type)}: ${error.message}`,
        hint: error.details.hint ?? 'these objects were not checked',
      })
    }
  }
  return { types, diagnostics }
}

function nameOf(object: KubeObject): unknown {
  return (object.metadata as { name?: unknown } | undefined)?.name
}
