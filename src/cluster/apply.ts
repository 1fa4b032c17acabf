import { isRecord, ToolError, type KubeObject } from '../core/index.js'
import type { KubeClient } from './client.js'
import { collectionPath, type ApiResource } from './discovery.js'
import { listObjects } from './list.js'

const FIELD_MANAGER = 'palisade'

/**
 * Server-side apply each object (field manager "palisade", conflicts forced: these are
 * objects Palisade owns). `typeOf` gives the resource type of each object's kind.
 */
export async function applyObjects(
  client: KubeClient,
  objects: readonly KubeObject[],
  typeOf: (kind: string) => ApiResource | undefined,
): Promise<void> {
  for (const object of objects) {
    const kind = String(object.kind)
    const type = typeOf(kind)
    if (!type)
      throw new ToolError(
        'CLUSTER_FAILED',
        `the cluster does not serve ${String(object.apiVersion)} ${kind}`,
        kind.endsWith('PolicyReport')
          ? { hint: 'install the wgpolicyk8s.io PolicyReport CRDs (Kyverno installs them)' }
          : {},
      )
    const meta = isRecord(object.metadata) ? object.metadata : {}
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined
    const path = `${collectionPath(type, namespace)}/${encodeURIComponent(String(meta.name))}?fieldManager=${FIELD_MANAGER}&force=true`
    await client.request('PATCH', path, { body: object, contentType: 'application/apply-patch+yaml' })
  }
}

/**
 * Delete the objects of one type that carry `label=value` and are not in `keep`
 * (`<namespace>/<name>`), in one namespace or all: the previous reports a new run
 * replaces. Returns how many went.
 */
export async function deleteObjects(
  client: KubeClient,
  type: ApiResource,
  label: string,
  value: string,
  keep: ReadonlySet<string>,
  namespace?: string,
): Promise<number> {
  let deleted = 0
  const stale: Array<{ namespace?: string; name: string }> = []
  for await (const object of listObjects(client, type, namespace === undefined ? {} : { namespace })) {
    const meta = isRecord(object.metadata) ? object.metadata : {}
    const labels = isRecord(meta.labels) ? meta.labels : {}
    if (labels[label] !== value) continue
    const ns = typeof meta.namespace === 'string' ? meta.namespace : undefined
    const name = String(meta.name)
    if (!keep.has(`${ns ?? ''}/${name}`)) stale.push({ ...(ns ? { namespace: ns } : {}), name })
  }
  for (const entry of stale) {
    await client.request('DELETE', `${collectionPath(type, entry.namespace)}/${encodeURIComponent(entry.name)}`, {
      accept: [404],
    })
    deleted++
  }
  return deleted
}
