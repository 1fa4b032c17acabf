import { hash } from 'node:crypto'
import { apiGroup, type ResourceRef } from './resource.js'

/**
 * A finding's stable identity: policy, message, resource identity and the name-based
 * path. No file line or document order, so it survives moved lines, reordered documents
 * and renamed files. The resource identity is its group, kind, namespace and name; for a
 * rendered object, `identity` (where it comes from: the render, the template or origin
 * file, its place among that file's objects of its kind) replaces namespace and name, which
 * a template may invent (`randAlphaNum`) or a generator may hash.
 */
export function findingFingerprint(parts: {
  policyId: string
  messageId: string
  resource: ResourceRef
  stablePath: string
  identity?: string
}): string {
  const { policyId, messageId, resource, stablePath, identity } = parts
  const who = identity === undefined ? [resource.namespace ?? '', resource.name] : ['\u0001rendered', identity]
  const key = [policyId, messageId, apiGroup(resource.apiVersion), resource.kind, ...who, stablePath].join('\u0000')
  // One-shot hash: no Hash object per finding (a first scan of a repository has hundreds of thousands).
  return hash('sha256', key, 'hex').slice(0, 32)
}
