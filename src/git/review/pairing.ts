import { apiGroup, resourceRef, formatResourceRef } from '../../core/index.js'
import type { LocatedResource } from '../../pipeline/index.js'
import type { ResourcePair } from './types.js'

/** Identity of a resource as fingerprints see it: API group, kind, namespace, name. */
export function identityOf(resource: LocatedResource): string {
  const ref = resourceRef(resource.object)
  return [apiGroup(ref.apiVersion), ref.kind, ref.namespace ?? '', ref.name].join('\u0000')
}

/** `Kind/namespace/name` of a located resource, for messages. */
export function describe(resource: LocatedResource): string {
  return formatResourceRef(resourceRef(resource.object))
}

/**
 * Match base and head resources by identity. When one identity appears more than once
 * (the same Deployment in a staging and a production overlay), copies in the same file
 * pair first, then the rest in order, so a renamed file still pairs.
 */
export function pairResources(
  base: readonly LocatedResource[],
  head: readonly LocatedResource[],
): { pairs: ResourcePair[]; added: LocatedResource[]; removed: LocatedResource[] } {
  const byIdentity = new Map<string, LocatedResource[]>()
  for (const r of base) {
    const key = identityOf(r)
    const group = byIdentity.get(key)
    if (group) group.push(r)
    else byIdentity.set(key, [r])
  }
  const pairs: ResourcePair[] = []
  const added: LocatedResource[] = []
  const unpaired: LocatedResource[] = []
  for (const r of head) {
    const group = byIdentity.get(identityOf(r))
    const sameFile = group?.findIndex((b) => b.file === r.file) ?? -1
    if (group && sameFile >= 0) pairs.push({ base: group.splice(sameFile, 1)[0] as LocatedResource, head: r })
    else unpaired.push(r)
  }
  for (const r of unpaired) {
    const group = byIdentity.get(identityOf(r))
    const first = group?.shift()
    if (first) pairs.push({ base: first, head: r })
    else added.push(r)
  }
  const removed = [...byIdentity.values()].flat()
  return { pairs, added, removed }
}
