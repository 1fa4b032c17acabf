import { isRecord, ToolError, type KubeObject } from '../core/index.js'
import type { KubeClient } from './client.js'
import { apiVersionOf, collectionPath, type ApiResource } from './discovery.js'

/** Objects per page: bounds what one response holds in memory. */
export const PAGE_SIZE = 500

/**
 * Every object of one resource type, page by page (limit/continue), each with its kind and
 * apiVersion set (list items lack them) and without what only the server needs
 * (managedFields, the last-applied annotation: often larger than the object). Only one
 * page is held at a time. An expired continue token (410) is an error, never a short list.
 *
 * @example
 * for await (const pod of listObjects(client, podsResource)) audit(pod)
 */
export async function* listObjects(
  client: KubeClient,
  type: ApiResource,
  options: { namespace?: string; pageSize?: number } = {},
): AsyncGenerator<KubeObject> {
  const base = collectionPath(type, options.namespace)
  let token: string | undefined
  do {
    const query = new URLSearchParams({ limit: String(options.pageSize ?? PAGE_SIZE) })
    if (token) query.set('continue', token)
    const { body } = await client.request('GET', `${base}?${query.toString()}`)
    if (!isRecord(body) || !Array.isArray(body.items)) throw new ToolError('CLUSTER_FAILED', `GET ${base}: not a list`)
    for (const item of body.items) {
      if (!isRecord(item)) continue
      yield slimObject({ apiVersion: apiVersionOf(type), kind: type.kind, ...item } as KubeObject)
    }
    token =
      isRecord(body.metadata) && typeof body.metadata.continue === 'string' && body.metadata.continue !== ''
        ? body.metadata.continue
        : undefined
  } while (token)
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** The object without managedFields and the last-applied annotation (in place; returns it). */
export function slimObject(object: KubeObject): KubeObject {
  const meta = object.metadata
  if (isRecord(meta)) {
    delete meta.managedFields
    if (isRecord(meta.annotations) && LAST_APPLIED in meta.annotations) {
      delete meta.annotations[LAST_APPLIED]
      if (Object.keys(meta.annotations).length === 0) delete meta.annotations
    }
  }
  return object
}
