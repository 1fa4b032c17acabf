import { createHash } from 'node:crypto'
import { apiGroup, type ResourceRef } from './resource.js'

/**
 * A finding's stable identity: policy, message, resource identity (group, kind,
 * namespace, name) and the name-based path. No file, line or document order,
 * so it survives moved lines, reordered documents and renamed files.
 */
export function findingFingerprint(parts: {
  policyId: string
  messageId: string
  resource: ResourceRef
  stablePath: string
}): string {
  const { policyId, messageId, resource, stablePath } = parts
  const key = [policyId, messageId, apiGroup(resource.apiVersion), resource.kind, resource.namespace ?? '', resource.name, stablePath].join('\u0000')
  return createHash('sha256').update(key).digest('hex').slice(0, 32)
}
