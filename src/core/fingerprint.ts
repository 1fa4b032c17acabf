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
  return fingerprintWithin(fingerprintPrefix(parts.resource, parts.identity), parts)
}

/**
 * The part of a fingerprint's hashed text that only depends on the resource, for findings of
 * one resource to share (a dense scan has ~10 per resource): built once, not joined per finding.
 */
export function fingerprintPrefix(resource: ResourceRef, identity?: string): string {
  // The text the fingerprint has always hashed: its parts joined by NUL, with undefined as '' (as Array.join does).
  const who =
    identity === undefined
      ? `${resource.namespace ?? ''}\u0000${resource.name ?? ''}`
      : `\u0001rendered\u0000${identity}`
  return `\u0000${apiGroup(resource.apiVersion)}\u0000${resource.kind ?? ''}\u0000${who}\u0000`
}

/** findingFingerprint of a finding of the resource whose `fingerprintPrefix` is `prefix`. */
export function fingerprintWithin(
  prefix: string,
  parts: { policyId: string; messageId: string; stablePath: string },
): string {
  // One-shot hash: no Hash object per finding (a first scan of a repository has hundreds of thousands).
  return hash('sha256', `${parts.policyId}\u0000${parts.messageId}${prefix}${parts.stablePath}`, 'hex').slice(0, 32)
}
