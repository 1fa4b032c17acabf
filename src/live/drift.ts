import { isRecord, resourceRef, type KubeObject, type ResourceRef, type SourceSpan } from '../core/index.js'
import { evaluate, type CompiledPolicySet } from '../engine/index.js'
import type { LocatedResource } from '../pipeline/index.js'
import { diffObjects, type FieldChange } from './diff.js'
import { objectKey } from './live-resource.js'
import { securityReason, SECURITY_KINDS } from './security-fields.js'

/** A Git object, and (when the API server could default it) the object as the server would store it. */
export interface GitObject {
  resource: LocatedResource
  /** The object after the API server's defaulting (server-side dry-run create); else the object as rendered. */
  defaulted?: KubeObject
  /** The namespace it is deployed to (its own, else the application's destination, else default). */
  namespace?: string
}

/** One difference between Git and the cluster. */
export interface Drift {
  /** changed: both have it and fields differ; unmanaged: live only; missing: Git only. */
  type: 'changed' | 'unmanaged' | 'missing'
  resource: ResourceRef
  environment?: string
  /** The Git object's file and the span of each field (changed, missing). */
  git?: { file: string; span: SourceSpan; application?: string }
  fields: Array<FieldChange & { span?: SourceSpan; security?: string }>
  /** Why it matters for security (empty: it does not). */
  reasons: string[]
}

export interface DriftOptions {
  policies: CompiledPolicySet
  /** The live namespaces (by name), for policies that read the namespace's labels. */
  namespaces: ReadonlyMap<string, KubeObject>
  /** Whether a live object without a Git counterpart counts as unmanaged (in the compared scope, not made by a controller). */
  inScope(live: KubeObject): boolean
  environmentOf(object: KubeObject): string | undefined
}

/**
 * Compare what Git says with what runs. Changed fields ignore what the API server sets
 * (status, bookkeeping metadata, allocated IPs) and, when `defaulted` is given, what it
 * defaults. A drift is security-relevant when the live object fails a policy that the
 * Git object passes, when a security field changed (privileges, capabilities, host
 * access, identity, images, RBAC), or when a NetworkPolicy in Git is missing live; a
 * live-only object when it fails a policy or grants RBAC.
 */
export function computeDrift(git: readonly GitObject[], live: readonly KubeObject[], options: DriftOptions): Drift[] {
  const liveByKey = new Map(live.map((o) => [objectKey(o), o]))
  const seen = new Set<string>()
  const out: Drift[] = []
  for (const g of git) {
    const object = g.resource.object
    const key = objectKey(object, g.namespace)
    if (seen.has(key)) continue
    seen.add(key)
    const ref = { ...resourceRef(object), ...(g.namespace ? { namespace: g.namespace } : {}) }
    const environment = g.resource.environment ?? options.environmentOf(object)
    const gitPlace = {
      file: g.resource.file,
      span: g.resource.locate(''),
      ...(g.resource.application ? { application: g.resource.application } : {}),
    }
    const current = liveByKey.get(key)
    if (!current) {
      const reasons = ref.kind === 'NetworkPolicy' ? ['network policy removed'] : []
      out.push({
        type: 'missing',
        resource: ref,
        ...(environment ? { environment } : {}),
        git: gitPlace,
        fields: [],
        reasons,
      })
      continue
    }
    const fields = diffObjects(comparable(g.defaulted ?? object, current), comparable(current, current))
      .filter((f) => g.defaulted !== undefined || f.change !== 'added' || securityReason(f, ref.kind) !== undefined)
      .map((f) => {
        const security = securityReason(f, ref.kind)
        return { ...f, span: g.resource.locate(f.path), ...(security ? { security } : {}) }
      })
    if (fields.length === 0) continue
    const reasons = [...new Set(fields.flatMap((f) => (f.security ? [`${f.security} changed (${f.path})`] : [])))]
    const context = {
      ...(environment ? { environment } : {}),
      namespaceObject: options.namespaces.get(ref.namespace ?? '') ?? null,
    }
    const gitFails = failures(options.policies, g.defaulted ?? object, context)
    for (const policy of failures(options.policies, current, context))
      if (!gitFails.has(policy)) reasons.push(`live fails ${policy}, Git passes`)
    out.push({
      type: 'changed',
      resource: ref,
      ...(environment ? { environment } : {}),
      git: gitPlace,
      fields,
      reasons,
    })
  }
  for (const object of live) {
    if (seen.has(objectKey(object)) || !options.inScope(object)) continue
    const ref = resourceRef(object)
    const environment = options.environmentOf(object)
    const context = {
      ...(environment ? { environment } : {}),
      namespaceObject: options.namespaces.get(ref.namespace ?? '') ?? null,
    }
    const reasons = [...failures(options.policies, object, context)].map((p) => `live fails ${p}, not in Git`)
    if (SECURITY_KINDS.has(ref.kind) && ref.kind !== 'NetworkPolicy') reasons.push(`${ref.kind} not in Git`)
    out.push({ type: 'unmanaged', resource: ref, ...(environment ? { environment } : {}), fields: [], reasons })
  }
  return out
}

/** The object without what is never compared (metadata.name of a dry-run copy is the live name). */
function comparable(object: KubeObject, live: KubeObject): KubeObject {
  const meta = isRecord(object.metadata) ? { ...object.metadata } : {}
  const liveMeta = isRecord(live.metadata) ? live.metadata : {}
  meta.name = liveMeta.name
  if (liveMeta.namespace !== undefined) meta.namespace = liveMeta.namespace
  return { ...object, metadata: meta }
}

/** Ids of the policies that fail on the object. */
function failures(
  policies: CompiledPolicySet,
  object: KubeObject,
  context: Parameters<typeof evaluate>[2],
): Set<string> {
  const out = new Set<string>()
  for (const { policy, outcome } of evaluate(policies, object, context))
    if (outcome.status === 'fail') out.add(policy.meta.id)
  return out
}
