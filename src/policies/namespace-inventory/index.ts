/**
 * For namespace-level cross-resource policies: which Namespaces of a scan lack a
 * companion object (a ResourceQuota, a LimitRange) declared inside them.
 */
import type { KubeObject } from '../../core/index.js'
import type { NativeViolation } from '../../engine/index.js'
import { groupOf, kindOf, nameOf, namespaceOf } from '../resource-index/index.js'

/** Namespaces every cluster has, managed by Kubernetes itself. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease']

/**
 * One violation on each Namespace object (at /metadata/name) that is not exempt and has
 * no object of the companion core kind in it, anywhere in the scan.
 */
export function namespacesWithout(
  objects: readonly KubeObject[],
  companionKind: string,
  exempt: readonly string[],
  messageId: string,
): (NativeViolation & { index: number })[] {
  const have = new Set<string>()
  for (const o of objects) {
    const ns = namespaceOf(o)
    if (kindOf(o) === companionKind && groupOf(o) === '' && ns !== undefined) have.add(ns)
  }
  const out: (NativeViolation & { index: number })[] = []
  objects.forEach((o, index) => {
    if (kindOf(o) !== 'Namespace' || groupOf(o) !== '') return
    const name = nameOf(o)
    if (name === '' || exempt.includes(name) || have.has(name)) return
    out.push({ index, messageId, path: '/metadata/name', data: { name } })
  })
  return out
}

/** The exempt parameter as a list of strings. */
export function exemptParam(params: Readonly<Record<string, unknown>>): string[] {
  return Array.isArray(params.exempt)
    ? params.exempt.filter((p): p is string => typeof p === 'string')
    : [...SYSTEM_NAMESPACES]
}
