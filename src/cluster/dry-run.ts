import { isRecord, ToolError, type KubeObject } from '../core/index.js'
import { statusMessage, type KubeClient } from './client.js'
import { collectionPath, type ApiResource } from './discovery.js'

/**
 * The object as the API server would store it, defaults and mutating admission included:
 * a server-side dry-run create of a copy under a generated name (so it never conflicts
 * with the live object and nothing is stored). Returns the reason instead when the server
 * refuses it (admission denial, validation, missing namespace); the caller then compares
 * without defaults.
 */
export async function serverDefaulted(
  client: KubeClient,
  type: ApiResource,
  object: KubeObject,
  namespace: string | undefined,
): Promise<{ object: KubeObject } | { reason: string }> {
  const meta = isRecord(object.metadata) ? { ...object.metadata } : {}
  delete meta.name
  delete meta.resourceVersion
  meta.generateName = 'palisade-drift-'
  if (namespace !== undefined && type.namespaced) meta.namespace = namespace
  const copy = { ...object, metadata: meta }
  try {
    const answer = await client.request(
      'POST',
      `${collectionPath(type, type.namespaced ? (namespace ?? 'default') : undefined)}?dryRun=All&fieldManager=palisade-drift`,
      { body: copy, accept: [400, 403, 404, 409, 422, 500] },
    )
    if (answer.status >= 300 || !isRecord(answer.body))
      return { reason: `${answer.status} ${statusMessage(answer.body)}` }
    return { object: answer.body as KubeObject }
  } catch (error) {
    if (error instanceof ToolError) return { reason: error.message }
    throw error
  }
}
