import { isRecord, type KubeObject } from '../../core/index.js'
import { fromJs, isRegoError, RSet, toJson, type Value } from '../../rego/index.js'
import type { CelBody, CelOutcome } from '../shared/cel-body.js'
import { ConstraintCel } from './cel-runner.js'
import type { Constraint } from './constraint.js'
import type { ConstraintTemplate } from './template.js'

/** An admission review as Gatekeeper gives it to templates (input.review). */
export interface Review {
  request: Record<string, unknown>
  object: KubeObject | null
  oldObject: KubeObject | null
  namespaceObject: KubeObject | null
}

/** One violation of a constraint: Gatekeeper's {msg, details}. */
export interface GatekeeperViolation {
  msg: string
  details: unknown
}

export type Engine = 'Rego' | 'K8sNativeValidation'

/** Violations of a constraint on a review, or why the template could not be evaluated (never a silent pass). */
export type GatekeeperResult = { violations: GatekeeperViolation[] } | { error: string }

/**
 * data.inventory as Gatekeeper's sync builds it: namespaced objects under
 * namespace.<ns>.<apiVersion>.<kind>.<name>, cluster-scoped ones under cluster.<apiVersion>.<kind>.<name>.
 */
export function inventoryOf(objects: readonly KubeObject[], clusterScoped: (kind: string) => boolean): Value {
  const cluster: Record<string, Record<string, Record<string, unknown>>> = {}
  const namespace: Record<string, Record<string, Record<string, Record<string, unknown>>>> = {}
  const put = (root: Record<string, Record<string, Record<string, unknown>>>, o: KubeObject, name: string): void => {
    const gv = String(o.apiVersion ?? '')
    const kind = String(o.kind ?? '')
    const byGv = (root[gv] ??= {})
    const byKind = (byGv[kind] ??= {})
    byKind[name] = o
  }
  for (const o of objects) {
    const meta = isRecord(o.metadata) ? o.metadata : {}
    const name = String(meta.name ?? '')
    const ns = typeof meta.namespace === 'string' ? meta.namespace : ''
    if (clusterScoped(String(o.kind ?? '')) || ns === '') put(cluster, o, name)
    else put((namespace[ns] ??= {}), o, name)
  }
  return fromJs({ cluster, namespace })
}

function violationOf(v: Value): GatekeeperViolation {
  const j = toJson(v)
  if (!isRecord(j)) return { msg: String(j), details: {} }
  return { msg: typeof j.msg === 'string' ? j.msg : JSON.stringify(j.msg ?? ''), details: j.details ?? {} }
}

/** Evaluate the template's Rego: `violation` with input {review, parameters} and data.inventory. */
export function runRego(
  template: ConstraintTemplate,
  constraint: Constraint,
  review: Review,
  inventory: Value,
): GatekeeperResult {
  const rego = template.rego
  if (!rego) return { error: `ConstraintTemplate ${template.name} has no Rego` }
  const input = fromJs({ review: review.request, parameters: constraint.parameters })
  try {
    const set = rego.program.evaluate(rego.violationPath, input, fromJs({ inventory }))
    if (set === undefined) return { violations: [] }
    if (!(set instanceof RSet)) return { error: `ConstraintTemplate ${template.name}: violation is not a set` }
    return { violations: [...set.values()].map(violationOf) }
  } catch (error) {
    if (isRegoError(error)) return { error: `ConstraintTemplate ${template.name}: ${error.message}` }
    if (error instanceof RangeError)
      return { error: `ConstraintTemplate ${template.name}: evaluation too deep: ${error.message}` }
    throw error
  }
}

/** Each constraint's CEL with its activation, built on its first evaluation. */
const celOfConstraint = new WeakMap<Constraint, ConstraintCel>()

/** The CEL of a constraint with its activation, built on its first evaluation. */
export function constraintCel(cel: CelBody, constraint: Constraint): ConstraintCel {
  let runner = celOfConstraint.get(constraint)
  if (runner?.body !== cel) {
    // A constraint without parameters has empty parameters, as its Rego sees in input.parameters.
    const spec = isRecord(constraint.object.spec) ? constraint.object.spec : {}
    const params = { ...constraint.object, spec: { ...spec, parameters: constraint.parameters } }
    runner = new ConstraintCel(cel, params)
    celOfConstraint.set(constraint, runner)
  }
  return runner
}

/** Evaluate the template's K8sNativeValidation: every failed validation is one violation. */
export function runCel(template: ConstraintTemplate, constraint: Constraint, review: Review): GatekeeperResult {
  const cel = template.cel
  if (!cel) return { error: `ConstraintTemplate ${template.name} has no K8sNativeValidation code` }
  return celResult(template, constraintCel(cel, constraint).run(review))
}

/** The violations of a CEL outcome, or its error. */
export function celResult(template: ConstraintTemplate, outcome: CelOutcome): GatekeeperResult {
  if (outcome.status === 'error') return { error: `ConstraintTemplate ${template.name}: ${outcome.message}` }
  if (outcome.status === 'skip') return { violations: [] }
  return { violations: outcome.failures.map((f) => ({ msg: f.message, details: {} })) }
}

/** The engine a scan and the webhook use: K8sNativeValidation when the template has it (as Gatekeeper prefers), else Rego. */
export function defaultEngine(template: ConstraintTemplate): Engine {
  return template.cel ? 'K8sNativeValidation' : 'Rego'
}

export function runEngine(
  engine: Engine,
  template: ConstraintTemplate,
  constraint: Constraint,
  review: Review,
  inventory: Value,
): GatekeeperResult {
  return engine === 'Rego' ? runRego(template, constraint, review, inventory) : runCel(template, constraint, review)
}
