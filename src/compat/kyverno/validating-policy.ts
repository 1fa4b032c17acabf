import { isRecord, type KubeObject } from '../../core/index.js'
import { admissionRequest, bodyCompileError, evaluateCelBody, readCelBody, type CelBody } from '../shared/cel-body.js'
import { actionOf, type CelPolicyEnv } from '../shared/cel-env.js'
import { CelPrograms } from '../shared/cel-program.js'
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

const CONTROLLERS: Readonly<Record<string, { group: string; resource: string; cron: boolean }>> = {
  daemonsets: { group: 'apps', resource: 'daemonsets', cron: false },
  deployments: { group: 'apps', resource: 'deployments', cron: false },
  replicasets: { group: 'apps', resource: 'replicasets', cron: false },
  statefulsets: { group: 'apps', resource: 'statefulsets', cron: false },
  jobs: { group: 'batch', resource: 'jobs', cron: false },
  cronjobs: { group: 'batch', resource: 'cronjobs', cron: true },
}

/** Kyverno's autogen condition: exactly one rule, for core v1 pods, without selectors, exclusions or names. */
function canAutogen(match: unknown): boolean {
  if (!isRecord(match)) return false
  const nonEmpty = (s: unknown): boolean => isRecord(s) && ((isRecord(s.matchLabels) && Object.keys(s.matchLabels).length > 0) || (Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0))
  if (nonEmpty(match.namespaceSelector) || nonEmpty(match.objectSelector)) return false
  if (Array.isArray(match.excludeResourceRules) && match.excludeResourceRules.length > 0) return false
  if (!Array.isArray(match.resourceRules) || match.resourceRules.length !== 1) return false
  const rule = match.resourceRules[0]
  if (!isRecord(rule)) return false
  const one = (v: unknown, want: string): boolean => Array.isArray(v) && v.length === 1 && v[0] === want
  if (Array.isArray(rule.resourceNames) && rule.resourceNames.length > 0) return false
  return one(rule.apiGroups, '') && one(rule.apiVersions, 'v1') && one(rule.resources, 'pods')
}

/** Rewrite object.spec / object.metadata (and oldObject's) into the pod template, keeping .name and .namespace of metadata. */
function rewrite(text: string, cron: boolean): string {
  const prefix = cron ? 'spec.jobTemplate.spec.template.' : 'spec.template.'
  let out = text
  for (const root of ['object.', 'oldObject.']) {
    for (const field of ['spec', 'metadata']) {
      const from = `${root}${field}`
      const to = `${root}${prefix}${field}`
      out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${from.replace('.', '\\.')}(?!\\.(?:name|namespace)(?![A-Za-z0-9_]))`, 'g'), to)
    }
  }
  return out
}

function autogenVariants(spec: Record<string, unknown>, programs: CelPrograms): Variant[] {
  if (!canAutogen(spec.matchConstraints)) return []
  const config = isRecord(spec.autogen) && isRecord(spec.autogen.podControllers) ? spec.autogen.podControllers.controllers : undefined
  const controllers = Array.isArray(config) ? config.filter((c): c is string => typeof c === 'string' && Object.hasOwn(CONTROLLERS, c)) : Object.keys(CONTROLLERS)
  const rule = (spec.matchConstraints as { resourceRules: Record<string, unknown>[] }).resourceRules[0] as Record<string, unknown>
  const variants: Variant[] = []
  for (const cron of [false, true]) {
    const targets = controllers.map((c) => CONTROLLERS[c] as { group: string; resource: string; cron: boolean }).filter((t) => t.cron === cron)
    if (targets.length === 0) continue
    const groups = [...new Set(targets.map((t) => t.group))].sort()
    const matchConstraints = {
      resourceRules: groups.map((g) => ({ apiGroups: [g], apiVersions: ['v1'], operations: rule.operations, resources: targets.filter((t) => t.group === g).map((t) => t.resource).sort() })),
    }
    const rewritten = JSON.parse(rewrite(JSON.stringify({ ...spec, matchConstraints: undefined }), cron)) as Record<string, unknown>
    variants.push({ matchConstraints, body: readCelBody(rewritten, programs) })
  }
  return variants
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
  const actions = Array.isArray(spec.validationActions) ? spec.validationActions.filter((a): a is string => typeof a === 'string') : ['Deny']
  return { name, action: actionOf(actions), variants: [{ matchConstraints: spec.matchConstraints, body }, ...autogenVariants(spec, programs)] }
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
      libraries: kyvernoLibraries({ objects: env.objects, ...(env.image === undefined ? {} : { image: env.image }), now: env.now }),
    })
    // As Kyverno's engine: a ValidatingPolicy that cannot be evaluated is an error, whatever its failurePolicy.
    const outcome = evaluated
    return [{ rule: policy.name, type: 'validate', status: outcome.status, message: outcome.message, policyLevel: true }]
  }
  return []
}
