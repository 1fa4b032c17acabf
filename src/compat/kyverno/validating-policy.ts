import { isRecord, type KubeObject } from '../../core/index.js'
import { admissionRequest, bodyCompileError, evaluateCelBody, readCelBody, type CelBody } from '../shared/cel-body.js'
import { actionOf, type CelPolicyEnv } from '../shared/cel-env.js'
import { CelPrograms } from '../shared/cel-program.js'
import { autogenTargets, rewritePodPaths } from './cel-autogen.js'
import { KYVERNO_CEL, kyvernoLibraries } from './cel-libraries.js'
import { CompatError } from '../shared/errors.js'
import { constraintsMatch } from '../shared/match-constraints.js'
import type { RuleResponse } from '../shared/rule-response.js'

/** One variant of a Kyverno ValidatingPolicy: the policy as written, or an autogen variant for pod controllers. */
interface Variant {
  matchConstraints: unknown
  body: CelBody
}

/** A Kyverno ValidatingPolicy (policies.kyverno.io), read and ready to run. */
export interface ValidatingPolicy {
  name: string
  action: 'deny' | 'warn' | 'audit'
  variants: readonly Variant[]
}

function autogenVariants(spec: Record<string, unknown>, programs: CelPrograms): Variant[] {
  return autogenTargets(spec).map(({ cron, matchConstraints }) => ({
    matchConstraints,
    body: readCelBody(
      JSON.parse(rewritePodPaths(JSON.stringify({ ...spec, matchConstraints: undefined }), cron)) as Record<
        string,
        unknown
      >,
      programs,
    ),
  }))
}

/** Read a ValidatingPolicy; compiles its expressions (and its autogen variants') once; throws a CEL_COMPILE error naming an expression that does not compile. */
export function readValidatingPolicy(doc: KubeObject): ValidatingPolicy {
  const meta = isRecord(doc.metadata) ? doc.metadata : {}
  const name = String(meta.name ?? '')
  const spec = isRecord(doc.spec) ? doc.spec : {}
  const programs = new CelPrograms(KYVERNO_CEL)
  const body = readCelBody(spec, programs)
  const err = bodyCompileError(body)
  if (err !== undefined) throw new CompatError('CEL_COMPILE', `ValidatingPolicy ${name}: ${err}`)
  const actions = Array.isArray(spec.validationActions)
    ? spec.validationActions.filter((a): a is string => typeof a === 'string')
    : ['Deny']
  return {
    name,
    action: actionOf(actions),
    variants: [{ matchConstraints: spec.matchConstraints, body }, ...autogenVariants(spec, programs)],
  }
}

/** Evaluate a ValidatingPolicy: one response from the variant that matches; a false matchCondition is a skip. */
export function runValidatingPolicy(policy: ValidatingPolicy, object: KubeObject, env: CelPolicyEnv): RuleResponse[] {
  const request = { operation: env.operation, namespaceLabels: env.namespaceLabels }
  for (const variant of policy.variants) {
    if (!constraintsMatch(variant.matchConstraints, object, request)) continue
    const evaluated = evaluateCelBody(variant.body, {
      object,
      oldObject: env.oldObject,
      request: admissionRequest(object, env.operation, env.user, env.oldObject),
      params: null,
      namespaceObject: env.namespaceObject,
      libraries: kyvernoLibraries({
        objects: env.objects,
        ...(env.image === undefined ? {} : { image: env.image }),
        now: env.now,
      }),
    })
    // As Kyverno's engine: a ValidatingPolicy that cannot be evaluated is an error, whatever its failurePolicy.
    const outcome = evaluated
    return [
      { rule: policy.name, type: 'validate', status: outcome.status, message: outcome.message, policyLevel: true },
    ]
  }
  return []
}
