import {
  resourceRef,
  type Finding,
  type KubeObject,
  type PolicyMeta,
  type Violation,
  type WaiverRef,
} from '../core/index.js'
import type { ConfigResolver, Waiver } from '../config/index.js'
import { evaluate, type CompiledPolicySet, type EvalContext } from '../engine/index.js'
import { inlineWaivers } from './waivers.js'

/**
 * A violation placed in its context (resource, environment, action, waiver) without
 * the file-only fields: no span, no fingerprint. Scans add those; admission, which has
 * no source file, uses this as it is.
 */
export type PlacedFinding = Omit<Finding, 'span' | 'fingerprint'>

/** Where a violation happened and what decides its action and waiver. */
export interface Placement {
  resource: Finding['resource']
  environment: string | undefined
  resolver: ConfigResolver
  /** The resource's inline waiver for this policy (`waive.palisade.dev/<id>` with a reason). */
  inlineWaiver?: WaiverRef | undefined
}

/**
 * Turn one engine violation into a finding: action from the configuration (per
 * environment, policy and severity, with warn-until-date schedules), then the inline
 * waiver, else a configured waiver that has not expired. `expired` is the configured
 * waiver that would have applied but has expired (scans report it once).
 */
export function placeViolation(
  violation: Violation,
  meta: PolicyMeta,
  at: Placement,
): { finding: PlacedFinding; expired?: Waiver } {
  const { resource, environment, resolver } = at
  // Built field by field: an object spread with a conditional part costs microseconds per
  // finding on V8's slow path, and admission places findings on every request.
  const finding: PlacedFinding = {
    policyId: violation.policyId,
    messageId: violation.messageId,
    message: violation.message,
    status: violation.status,
    severity: violation.severity,
    path: violation.path,
    stablePath: violation.stablePath,
    resource,
    controls: meta.controls,
    category: meta.category,
    action: resolver.actionFor(violation.policyId, violation.severity, environment),
  }
  if (violation.fix !== undefined) finding.fix = violation.fix
  if (environment !== undefined) finding.environment = environment
  if (at.inlineWaiver) {
    finding.waiver = at.inlineWaiver
    return { finding }
  }
  const configured = resolver.waiverFor(violation.policyId, resource, environment)
  if (configured && !configured.expired) {
    const { reason, owner, expires } = configured.waiver
    finding.waiver = { source: 'config', reason, owner, expires }
    return { finding }
  }
  return configured ? { finding, expired: configured.waiver } : { finding }
}

/** What evaluating one object in place needs (admission: no file, no other resources). */
export interface ObjectCheck {
  policies: CompiledPolicySet
  resolver: ConfigResolver
  environment: string | undefined
  /** Admission attributes: request, oldObject (UPDATE), namespaceObject. */
  context: EvalContext
}

/**
 * Evaluate one object and place every violation, exactly as a scan of the same object in
 * the same environment would (same policies, paths, messages, actions, waivers), minus
 * spans and fingerprints. Pure. Checks that need a whole set of resources (a default-deny
 * NetworkPolicy per namespace) give nothing for one object. Inline waivers without a
 * reason waive nothing, as in scans.
 */
export function checkObject(object: KubeObject, check: ObjectCheck): PlacedFinding[] {
  const { policies, resolver, environment } = check
  let context = check.context
  if (environment !== undefined) {
    const { oldObject, request, namespaceObject } = context
    context = { environment }
    if (oldObject !== undefined) context.oldObject = oldObject
    if (request !== undefined) context.request = request
    if (namespaceObject !== undefined) context.namespaceObject = namespaceObject
  }
  const evaluations = evaluate(policies, object, context)
  // Policies indexed as cross-resource still answer for one object when they can (user
  // Kyverno and VAP policies see this object and their folder's objects, as a scan of this
  // one manifest would); checks over a whole set (default-deny per namespace) answer undefined.
  for (const policy of policies.crossResource) {
    const outcome = policy.evaluate(object, context)
    if (outcome) evaluations.push({ policy, outcome })
  }
  const out: PlacedFinding[] = []
  if (evaluations.length === 0) return out
  let resource: Finding['resource'] | undefined
  let inline: ReadonlyMap<string, WaiverRef> | undefined
  for (const { policy, outcome } of evaluations) {
    if (outcome.violations.length === 0) continue
    resource ??= resourceRef(object)
    inline ??= inlineWaivers(object, () => undefined).waivers
    for (const violation of outcome.violations) {
      out.push(
        placeViolation(violation, policy.meta, {
          resource,
          environment,
          resolver,
          inlineWaiver: inline.get(policy.meta.id),
        }).finding,
      )
    }
  }
  return out
}
