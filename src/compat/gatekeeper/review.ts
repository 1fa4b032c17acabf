import { isRecord, type KubeObject } from '../../core/index.js'
import { admissionRequest } from '../shared/cel-body.js'
import { CLUSTER_SCOPED_KINDS } from '../shared/cluster-scoped.js'
import type { Review } from './evaluate.js'

/** Whether a kind is cluster-scoped (a missing namespace means cluster scope for it). */
export const isClusterScoped = (kind: string): boolean => CLUSTER_SCOPED_KINDS.has(kind)

/**
 * The review Gatekeeper evaluates for a document: an AdmissionReview's request as it is
 * (its operation, object, oldObject, userInfo), or a CREATE of a plain object by nobody.
 */
export function reviewOf(
  doc: KubeObject,
  namespaces: ReadonlyMap<string, KubeObject>,
  operation = 'CREATE',
  user: { username: string; groups: readonly string[] } = { username: '', groups: [] },
  oldObject: KubeObject | null = null,
): Review {
  if (doc.kind === 'AdmissionReview' && isRecord(doc.request)) {
    const req = doc.request
    const object = isRecord(req.object) ? (req.object as KubeObject) : null
    const old = isRecord(req.oldObject) ? (req.oldObject as KubeObject) : null
    const subject = object ?? old
    const base = subject
      ? admissionRequest(subject, String(req.operation ?? 'CREATE'), { username: '', groups: [] }, old)
      : {}
    const request = { ...base, ...req, object, oldObject: old }
    return { request, object, oldObject: old, namespaceObject: namespaceOf(subject, namespaces) }
  }
  return {
    request: admissionRequest(doc, operation, user, oldObject),
    object: operation === 'DELETE' ? null : doc,
    oldObject,
    namespaceObject: namespaceOf(doc, namespaces),
  }
}

/** The Namespace of a namespaced object among `namespaces`, or null (cluster-scoped objects, unknown namespaces). */
export function namespaceOf(o: KubeObject | null, namespaces: ReadonlyMap<string, KubeObject>): KubeObject | null {
  if (!o) return null
  const meta = isRecord(o.metadata) ? o.metadata : {}
  return typeof meta.namespace === 'string' ? (namespaces.get(meta.namespace) ?? null) : null
}

/** The object a review is about (the old object of a DELETE). */
export function subjectOf(r: Review): KubeObject | null {
  return r.object ?? r.oldObject
}
