import { isRecord, type KubeObject } from '../../core/index.js'
import type { Value } from '../../rego/index.js'
import { CompatError, isCompatError } from '../shared/errors.js'
import type { RuleResponse } from '../shared/rule-response.js'
import { readConstraint, type Constraint, type GatekeeperAction } from './constraint.js'
import type { CelBody } from '../shared/cel-body.js'
import { celResult, constraintCel, defaultEngine, inventoryOf, runEngine, type Engine } from './evaluate.js'
import { violationPath } from './field-path.js'
import { compileMatch } from './match.js'
import { isClusterScoped, namespaceOf, reviewOf, subjectOf } from './review.js'
import { CONSTRAINT_GROUP, readConstraintTemplate, TEMPLATE_GROUP, type ConstraintTemplate } from './template.js'

/** What a constraint needs of a run besides the object. */
export interface GatekeeperEnv {
  operation: string
  oldObject: KubeObject | null
  user: { username: string; groups: readonly string[] }
  namespaceLabels: Readonly<Record<string, string>>
  /** Every object of the run (data.inventory). */
  objects: readonly KubeObject[]
  /** The run's Namespace objects by name: a namespaced object's review has its namespace as namespaceObject. */
  namespaces?: ReadonlyMap<string, KubeObject>
}

/** A constraint with its template, ready to run. */
export interface GatekeeperPolicy {
  template: ConstraintTemplate
  constraint: Constraint
  engine: Engine
  /** Kinds the constraint can match; undefined = any. */
  kinds: ReadonlySet<string> | undefined
  /** The action where Palisade enforces (the admission webhook; a scan predicts admission). */
  action: GatekeeperAction
  run(object: KubeObject, env: GatekeeperEnv): RuleResponse[]
}

const groupOf = (o: KubeObject): string =>
  typeof o.apiVersion === 'string' && o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : ''

/** A ConstraintTemplate document. */
export const isTemplateDocument = (o: KubeObject): boolean =>
  o.kind === 'ConstraintTemplate' && groupOf(o) === TEMPLATE_GROUP
/** A Constraint document (any kind of group constraints.gatekeeper.sh). */
export const isConstraintDocument = (o: KubeObject): boolean => groupOf(o) === CONSTRAINT_GROUP

/** Namespaces of a run that gives none: every review's namespaceObject is null. */
const NO_NAMESPACES: ReadonlyMap<string, KubeObject> = new Map()

/** data.inventory of a run's objects, built once per run (the objects array is the run's). */
const inventories = new WeakMap<readonly KubeObject[], Value>()
function inventory(objects: readonly KubeObject[]): Value {
  let v = inventories.get(objects)
  if (v === undefined) {
    v = inventoryOf(objects, isClusterScoped)
    inventories.set(objects, v)
  }
  return v
}

function kindsOf(c: Constraint): ReadonlySet<string> | undefined {
  const kinds = Array.isArray(c.match.kinds) ? c.match.kinds.filter(isRecord) : []
  if (kinds.length === 0) return undefined
  const out = new Set<string>()
  for (const k of kinds) {
    const ks = Array.isArray(k.kinds) ? k.kinds.filter((x): x is string => typeof x === 'string') : []
    if (ks.length === 0 || ks.includes('*')) return undefined
    for (const x of ks) out.add(x)
  }
  return out
}

/** One constraint as a policy: match, evaluate on its engine, one response per violation. */
export function constraintPolicy(
  template: ConstraintTemplate,
  constraint: Constraint,
  engine: Engine = defaultEngine(template),
): GatekeeperPolicy {
  const usesInventory = engine === 'Rego' && template.rego !== undefined
  const cel = engine === 'K8sNativeValidation' ? template.cel : undefined
  // Compiled once per constraint: the match predicate and the rule name of its responses.
  const matches = compileMatch(constraint.match)
  const rule = `${constraint.kind}/${constraint.name}`
  return {
    template,
    constraint,
    engine,
    kinds: kindsOf(constraint),
    action: constraint.actions['validation.gatekeeper.sh'] ?? 'deny',
    run(object, env) {
      // CEL on a plain object needs no review: its request is written only if an expression reads it.
      const direct = cel !== undefined && object.kind !== 'AdmissionReview'
      const namespaces = env.namespaces ?? NO_NAMESPACES
      const review = direct ? undefined : reviewOf(object, namespaces, env.operation, env.user, env.oldObject)
      const subject = review ? subjectOf(review) : env.operation === 'DELETE' ? env.oldObject : object
      if (!subject) return []
      if (
        !matches({
          object: subject,
          namespaceLabels: env.namespaceLabels,
          clusterScoped: matches.needsScope && isClusterScoped(String(subject.kind ?? '')),
        })
      )
        return []
      const result = review
        ? runEngine(engine, template, constraint, review, usesInventory ? inventory(env.objects) : {})
        : celResult(
            template,
            constraintCel(cel as CelBody, constraint).runObject(
              object,
              env.operation,
              env.user,
              env.oldObject,
              namespaces.size === 0 ? null : namespaceOf(subject, namespaces),
            ),
          )
      if ('error' in result)
        return [{ rule, type: 'validate', status: 'error', message: result.error, policyLevel: true }]
      if (result.violations.length === 0)
        return [{ rule, type: 'validate', status: 'pass', message: '', policyLevel: true }]
      return result.violations.map((v) => ({
        rule,
        type: 'validate',
        status: 'fail',
        message: v.msg,
        path: violationPath(subject, v.msg),
        policyLevel: true,
      }))
    },
  }
}

/** A document that could not be read, with the error. */
export interface GatekeeperProblem<D> {
  doc: D
  error: CompatError
}

/**
 * Read templates, then the constraints of their kinds. A template or constraint that
 * cannot be read is a problem of its own document; a constraint whose template is not
 * among the documents is one too, unless its kind is in `paramKinds` (params of a VAP).
 */
export function readGatekeeperDocuments<D extends { object: KubeObject }>(
  docs: readonly D[],
  paramKinds: ReadonlySet<string> = new Set(),
): { policies: { doc: D; policy: GatekeeperPolicy }[]; problems: GatekeeperProblem<D>[] } {
  const templates = new Map<string, ConstraintTemplate>()
  const problems: GatekeeperProblem<D>[] = []
  for (const doc of docs) {
    if (!isTemplateDocument(doc.object)) continue
    try {
      const t = readConstraintTemplate(doc.object)
      templates.set(t.kind, t)
    } catch (error) {
      if (!isCompatError(error)) throw error
      problems.push({ doc, error })
    }
  }
  const policies: { doc: D; policy: GatekeeperPolicy }[] = []
  for (const doc of docs) {
    if (!isConstraintDocument(doc.object)) continue
    const kind = String(doc.object.kind ?? '')
    const t = templates.get(kind)
    if (!t) {
      // A constraint without its template that a ValidatingAdmissionPolicy names as paramKind is that policy's params (an export).
      if (paramKinds.has(kind)) continue
      problems.push({
        doc,
        error: new CompatError(
          'POLICY_INVALID',
          `constraint ${kind} has no ConstraintTemplate among the policies (a template whose spec.crd.spec.names.kind is ${kind})`,
        ),
      })
      continue
    }
    try {
      policies.push({ doc, policy: constraintPolicy(t, readConstraint(doc.object, t)) })
    } catch (error) {
      if (!isCompatError(error)) throw error
      problems.push({ doc, error })
    }
  }
  return { policies, problems }
}
