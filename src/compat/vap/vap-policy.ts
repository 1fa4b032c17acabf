import { isRecord, type KubeObject } from '../../core/index.js'
import { admissionRequest, bodyCompileError, evaluateCelBody, readCelBody, type CelBody } from '../shared/cel-body.js'
import type { CelPolicyEnv } from '../shared/cel-env.js'
import { CelPrograms } from '../shared/cel-program.js'
import { CompatError } from '../shared/errors.js'
import { constraintKinds, constraintsMatch } from '../shared/match-constraints.js'
import { resolveParams } from '../shared/params.js'
import type { RuleResponse } from '../shared/rule-response.js'

/** A ValidatingAdmissionPolicy with the bindings that point at it. */
export interface VapPolicy {
  name: string
  body: CelBody
  matchConstraints: unknown
  paramKind: unknown
  bindings: readonly VapBinding[]
  /** True when no binding was given and Palisade evaluates the policy as if bound with Deny. */
  unbound: boolean
}

/** A ValidatingAdmissionPolicyBinding. */
export interface VapBinding {
  name: string
  paramRef: unknown
  matchResources: unknown
  validationActions: readonly string[]
}

/** Read a VAP and its bindings; compiles its expressions once; throws a CEL_COMPILE error naming the expression that does not compile. */
export function readVap(doc: KubeObject, bindings: readonly KubeObject[]): VapPolicy {
  const meta = isRecord(doc.metadata) ? doc.metadata : {}
  const name = String(meta.name ?? '')
  const spec = isRecord(doc.spec) ? doc.spec : {}
  const body = readCelBody(spec, new CelPrograms())
  const err = bodyCompileError(body)
  if (err !== undefined) throw new CompatError('CEL_COMPILE', `ValidatingAdmissionPolicy ${name}: ${err}`)
  const mine = bindings
    .filter((b) => isRecord(b.spec) && b.spec.policyName === name)
    .map((b): VapBinding => {
      const bspec = b.spec as Record<string, unknown>
      return {
        name: String((isRecord(b.metadata) ? b.metadata.name : '') ?? ''),
        paramRef: bspec.paramRef,
        matchResources: bspec.matchResources,
        validationActions: Array.isArray(bspec.validationActions)
          ? bspec.validationActions.filter((a): a is string => typeof a === 'string')
          : ['Deny'],
      }
    })
  const unbound = mine.length === 0
  return {
    name,
    body,
    matchConstraints: spec.matchConstraints,
    paramKind: spec.paramKind,
    bindings: unbound ? [{ name, paramRef: undefined, matchResources: undefined, validationActions: ['Deny'] }] : mine,
    unbound,
  }
}

/** Kinds a VAP can match (for indexing). */
export function vapKinds(policy: VapPolicy, known: readonly string[]): ReadonlySet<string> | undefined {
  return constraintKinds(policy.matchConstraints, known)
}

/** Evaluate a VAP on one object: one response per binding that matches (none when nothing matches). */
export function runVap(policy: VapPolicy, object: KubeObject, env: CelPolicyEnv): RuleResponse[] {
  const request = { operation: env.operation, namespaceLabels: env.namespaceLabels }
  if (!constraintsMatch(policy.matchConstraints, object, request)) return []
  const meta = isRecord(object.metadata) ? object.metadata : {}
  const out: RuleResponse[] = []
  for (const binding of policy.bindings) {
    if (binding.matchResources !== undefined && !constraintsMatch(binding.matchResources, object, request)) continue
    const resolution = resolveParams(policy.paramKind, binding.paramRef, String(meta.namespace ?? ''), env.objects)
    if ('missing' in resolution) {
      out.push({
        rule: binding.name,
        type: 'validate',
        status: resolution.deny ? 'fail' : 'skip',
        message: resolution.missing,
        policyLevel: true,
      })
      continue
    }
    for (const params of resolution.params) {
      const outcome = evaluateCelBody(policy.body, {
        object,
        oldObject: env.oldObject,
        request: admissionRequest(object, env.operation, env.user, env.oldObject),
        params,
        namespaceObject: env.namespaceObject,
      })
      out.push({
        rule: binding.name,
        type: 'validate',
        status: outcome.status,
        message: outcome.message,
        policyLevel: true,
      })
    }
  }
  return out
}
