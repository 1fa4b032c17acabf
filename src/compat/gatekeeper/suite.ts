import { RE2JS } from 're2js'
import { isRecord, type KubeObject } from '../../core/index.js'
import { EvalLimitError, RequestDeadlineError, withBudget, type EvalLimits } from '../../engine/index.js'
import { isCompatError } from '../shared/errors.js'
import { readConstraint, type Constraint } from './constraint.js'
import { inventoryOf, runEngine, type Engine, type GatekeeperResult } from './evaluate.js'
import { constraintMatches } from './match.js'
import { isClusterScoped, reviewOf, subjectOf } from './review.js'
import { readConstraintTemplate, type ConstraintTemplate } from './template.js'

/** One assertion of a gator Suite case, met or not, in the shape of `palisade test` rows. */
export interface SuiteRow {
  test: string
  policy: string
  rule: string
  resource: string
  kind: string
  expected: string
  actual: string
  outcome: 'met' | 'unmet'
  reason?: string
  /** The engine the row was evaluated with. */
  engine: Engine
}

/** Documents of a file named by the suite, relative to it; a string is why it could not be read. */
export type ReadDocuments = (ref: string) => KubeObject[] | string

interface Assertion {
  violations: number | 'yes' | 'no'
  message?: string
}

function readAssertion(a: unknown): Assertion {
  const r = isRecord(a) ? a : {}
  const v = r.violations
  let violations: Assertion['violations'] = 'yes'
  if (v === false || v === 'no') violations = 'no'
  else if (v === true || v === 'yes') violations = 'yes'
  else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) violations = v
  else if (typeof v === 'string' && /^\d+$/.test(v)) violations = Number(v)
  return { violations, ...(typeof r.message === 'string' ? { message: r.message } : {}) }
}

function describeAssertion(a: Assertion): string {
  return `violations: ${a.violations}${a.message === undefined ? '' : `, message ~ /${a.message}/`}`
}

/** Check one assertion against a result: the count of violations whose msg matches. */
export function assertionMet(a: Assertion, result: GatekeeperResult): { met: boolean; actual: string } {
  if ('error' in result) return { met: false, actual: `error: ${result.error}` }
  let msgs = result.violations.map((v) => v.msg)
  if (a.message !== undefined) {
    const re = RE2JS.compile(a.message)
    msgs = msgs.filter((m) => re.matcher(m).find())
  }
  const n = msgs.length
  const met = a.violations === 'yes' ? n > 0 : a.violations === 'no' ? n === 0 : n === a.violations
  return { met, actual: `${n} violation${n === 1 ? '' : 's'}` }
}

/** Evaluate one constraint on one case document, as gator does (match first). */
export function evaluateCase(
  engine: Engine,
  template: ConstraintTemplate,
  constraint: Constraint,
  doc: KubeObject,
  inventoryObjects: readonly KubeObject[],
): GatekeeperResult {
  const namespaces = new Map<string, KubeObject>()
  for (const o of inventoryObjects)
    if (o.kind === 'Namespace' && isRecord(o.metadata) && typeof o.metadata.name === 'string')
      namespaces.set(o.metadata.name, o)
  const review = reviewOf(doc, namespaces)
  const subject = subjectOf(review)
  if (!subject) return { violations: [] }
  const nsLabels =
    review.namespaceObject &&
    isRecord(review.namespaceObject.metadata) &&
    isRecord(review.namespaceObject.metadata.labels)
      ? (review.namespaceObject.metadata.labels as Record<string, string>)
      : undefined
  if (
    !constraintMatches(constraint.match, {
      object: subject,
      namespaceLabels: nsLabels,
      clusterScoped: isClusterScoped(String(subject.kind ?? '')),
    })
  )
    return { violations: [] }
  return runEngine(engine, template, constraint, review, inventoryOf(inventoryObjects, isClusterScoped))
}

/** Run an evaluation under the cost and time limits of user policies: past them, an error result. */
function limited(limits: EvalLimits | undefined, run: () => GatekeeperResult): GatekeeperResult {
  if (!limits) return run()
  try {
    return withBudget(limits, run)
  } catch (error) {
    if (!(error instanceof EvalLimitError) || error instanceof RequestDeadlineError) throw error
    return { error: error.message }
  }
}

/**
 * Run a gator Suite (test.gatekeeper.sh/v1alpha1): every test's template and constraint,
 * every case's object (and inventory) on every engine the template has; one row per assertion.
 * `engines` limits the engines run.
 */
export function runSuite(
  suitePath: string,
  suite: KubeObject,
  read: ReadDocuments,
  options: { engines?: readonly Engine[]; limits?: EvalLimits } = {},
): { rows: SuiteRow[]; problems: string[] } {
  const { engines, limits } = options
  const rows: SuiteRow[] = []
  const problems: string[] = []
  const tests = Array.isArray(suite.tests) ? suite.tests.filter(isRecord) : []
  for (const test of tests) {
    const testName = `${suitePath} ${String(test.name ?? '')}`
    const docs = (ref: unknown): KubeObject[] => {
      if (typeof ref !== 'string') return []
      const r = read(ref)
      if (typeof r === 'string') {
        problems.push(`${testName}: ${r}`)
        return []
      }
      return r
    }
    let template: ConstraintTemplate
    let constraint: Constraint
    try {
      const t = docs(test.template).find((d) => d.kind === 'ConstraintTemplate')
      if (!t) {
        problems.push(`${testName}: no ConstraintTemplate in ${String(test.template)}`)
        continue
      }
      template = readConstraintTemplate(t)
      const c = docs(test.constraint).find((d) => d.kind === template.kind)
      if (!c) {
        problems.push(`${testName}: no ${template.kind} constraint in ${String(test.constraint)}`)
        continue
      }
      constraint = readConstraint(c, template)
    } catch (error) {
      if (!isCompatError(error)) throw error
      problems.push(`${testName}: ${error.message}`)
      continue
    }
    const available: Engine[] = [
      ...(template.rego ? (['Rego'] as const) : []),
      ...(template.cel ? (['K8sNativeValidation'] as const) : []),
    ]
    const cases = Array.isArray(test.cases) ? test.cases.filter(isRecord) : []
    for (const c of cases) {
      if (c.skip === true) continue
      const object = docs(c.object)[0]
      if (!object) continue
      const inventory = (Array.isArray(c.inventory) ? c.inventory : []).flatMap(docs)
      const assertions = (Array.isArray(c.assertions) ? c.assertions : []).map(readAssertion)
      const meta = isRecord(object.metadata)
        ? object.metadata
        : isRecord(object.request) && isRecord(object.request.object) && isRecord(object.request.object.metadata)
          ? object.request.object.metadata
          : {}
      for (const engine of available.filter((e) => !engines || engines.includes(e))) {
        const result = limited(limits, () => evaluateCase(engine, template, constraint, object, inventory))
        for (const a of assertions) {
          const { met, actual } = assertionMet(a, result)
          rows.push({
            test: `${testName} [${engine === 'Rego' ? 'Rego' : 'CEL'}]`,
            policy: `${constraint.kind}/${constraint.name}`,
            rule: String(c.name ?? ''),
            resource: String(meta.name ?? ''),
            kind: String(object.kind ?? ''),
            expected: describeAssertion(a),
            actual,
            outcome: met ? 'met' : 'unmet',
            engine,
            ...(met
              ? {}
              : {
                  reason: `${engine}: expected ${describeAssertion(a)}, got ${actual}${'violations' in result ? result.violations.map((v) => `\n      - ${v.msg}`).join('') : ''}`,
                }),
          })
        }
      }
    }
  }
  return { rows, problems }
}
