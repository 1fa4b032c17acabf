import { isRecord, type KubeObject } from '../../../core/index.js'
import {
  DEFAULT_EVAL_COST,
  DEFAULT_EVAL_TIMEOUT_MS,
  EvalLimitError,
  withBudget,
  type EvalLimits,
} from '../../../engine/index.js'
import { parseImage } from '../images.js'
import { CLUSTER_SCOPED_KINDS } from '../match.js'
import { indexObjects } from '../../object-index.js'
import type { RuleHooks, RuleValues } from '../policy.js'
import type { UserInfo } from '../request.js'
import type { PolicyRunEnv, RunnablePolicy } from '../../run-env.js'
import type { RuleResponse } from '../../shared/rule-response.js'
import type { TestExpectation, TestSpec } from './test-spec.js'
import type { TestValues } from './values.js'
import type { Jmespath } from '../jmespath.js'
import { firstDifference, tidy } from './compare.js'

export { tidy } from './compare.js'

/** One expectation's outcome, as `palisade test --format json` reports it. */
export interface TestRow {
  test: string
  policy: string
  rule: string
  resource: string
  kind: string
  expected: string
  actual: string
  outcome: 'met' | 'unmet' | 'vacuous'
  /** Why an expectation is unmet or vacuous. */
  reason?: string
}

/** Everything a test run reads, already loaded by the caller (the CLI does the I/O). */
export interface TestInput {
  path: string
  spec: TestSpec
  policies: readonly RunnablePolicy[]
  resources: readonly KubeObject[]
  values: TestValues
  user: UserInfo
  contextObjects: readonly KubeObject[]
  /** Images of the context file (`spec.images`: image, config, manifest). */
  contextImages?: readonly Record<string, unknown>[]
  /** Documents of a patchedResources / generatedResource file, or an error message. */
  loadExpected(file: string): KubeObject[] | string
  jp: Jmespath
  hooks: RuleHooks
  /** The clock of the run (Kyverno's CEL `time.now()`; default: the wall clock). */
  now?: () => Date
  /** Cost and time limits of one policy on one resource, per phase (default: as in scan, 2 s and Kubernetes' CEL budget). */
  limits?: EvalLimits
}

const DEFAULT_LIMITS: EvalLimits = {
  cost: DEFAULT_EVAL_COST,
  timeoutMs: DEFAULT_EVAL_TIMEOUT_MS,
  clock: () => performance.now(),
}

const meta = (o: KubeObject): Record<string, unknown> => (isRecord(o.metadata) ? o.metadata : {})
const nameOf = (o: KubeObject): string => String(meta(o).name ?? '')
const namespaceOf = (o: KubeObject): string => String(meta(o).namespace ?? '')

/** Resources without a namespace get `default` unless their kind is cluster-scoped, as the Kyverno CLI does. */
export function withDefaultNamespace(o: KubeObject): KubeObject {
  const kind = typeof o.kind === 'string' ? o.kind : ''
  if (CLUSTER_SCOPED_KINDS.has(kind) || namespaceOf(o) !== '') return o
  return { ...o, metadata: { ...meta(o), namespace: 'default' } }
}

interface EngineResponse {
  policy: string
  resource: KubeObject
  patched: KubeObject
  responses: RuleResponse[]
  /** The policy ran out of cost budget or time on this resource: every expectation of it is an error. */
  limit?: string
}

function valuesFor(values: TestValues, policy: string, resource: string): RuleValues {
  const rules = values.rules.get(policy)
  return {
    global: values.global,
    resource: values.resources.get(policy)?.get(resource) ?? {},
    rule: (name) => rules?.get(name) ?? {},
  }
}

/**
 * Run a Kyverno CLI test: every resource through every policy (mutations of all policies
 * first, in order; then validation and generation on the mutated resource), then check
 * each expectation. Rows whose rule never matched the resource are `vacuous`.
 */
export function runKyvernoTest(input: TestInput): TestRow[] {
  const limits = input.limits ?? DEFAULT_LIMITS
  const resources = input.resources.map(withDefaultNamespace)
  const given = [...resources, ...input.contextObjects.map(withDefaultNamespace), ...(input.values.namespaces ?? [])]
  // The namespace of every test resource exists, as in any cluster that admits the resource (namespaceObject, lookups);
  // its labels are the values file's namespaceSelector labels, if any.
  const known = new Set(given.filter((o) => o.kind === 'Namespace').map(nameOf))
  const implied = [...new Set(resources.map(namespaceOf).filter((ns) => ns !== '' && !known.has(ns)))].map(
    (ns): KubeObject => {
      const labels = input.values.namespaceLabels.get(ns)
      return {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, ...(labels === undefined ? {} : { labels }) },
      }
    },
  )
  const all = [...given, ...implied]
  const index = indexObjects(all, nameOf)
  const namespaceLabels = (ns: string): Record<string, string> => {
    const fromValues = input.values.namespaceLabels.get(ns)
    if (fromValues) return fromValues
    const obj = index.named('Namespace', ns)[0]
    const labels = obj && isRecord(meta(obj).labels) ? (meta(obj).labels as Record<string, string>) : {}
    return labels
  }
  const lookup = (apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined =>
    index
      .named(kind, name)
      .find(
        (o) =>
          (namespace === '' || namespaceOf(o) === namespace || CLUSTER_SCOPED_KINDS.has(kind)) &&
          (apiVersion === '' ||
            o.apiVersion === apiVersion ||
            !String(o.apiVersion).includes('/') === !apiVersion.includes('/')),
      )
  const list = (_apiVersion: string, kind: string, namespace: string | undefined): KubeObject[] =>
    index.ofKind(kind).filter((o) => namespace === undefined || namespaceOf(o) === namespace)

  const engine: EngineResponse[] = []
  for (const resource of resources) {
    const name = nameOf(resource)
    const envFor = (policy: RunnablePolicy): PolicyRunEnv => {
      const values = valuesFor(input.values, policy.testName, name)
      const operation = String(values.resource['request.operation'] ?? values.global['request.operation'] ?? 'CREATE')
      return {
        operation,
        oldObject: operation === 'UPDATE' || operation === 'DELETE' ? resource : null,
        user: input.user,
        namespaceLabels: namespaceLabels(resource.kind === 'Namespace' ? name : namespaceOf(resource)),
        values,
        lookup,
        list,
        jp: input.jp,
        hooks: input.hooks,
        objects: all,
        image: (reference) => imageData(reference, input.contextImages ?? []),
        ...(input.now === undefined ? {} : { now: input.now }),
      }
    }
    // Each policy runs under the same budget and deadline as in scan: a hostile test policy ends in an error row, not a hang.
    const limited: (string | undefined)[] = []
    const run = (
      policy: RunnablePolicy,
      i: number,
      on: KubeObject,
      phase: 'mutate' | 'rest',
    ): { responses: RuleResponse[]; patched: KubeObject } => {
      try {
        return withBudget(limits, () => policy.run(on, envFor(policy), phase))
      } catch (error) {
        if (!(error instanceof EvalLimitError)) throw error
        limited[i] = `policy ${policy.testName} stopped on ${String(resource.kind)} ${name}: ${error.message}`
        return { responses: [], patched: on }
      }
    }
    let current = resource
    const mutated: RuleResponse[][] = []
    const patchedBy: KubeObject[] = []
    input.policies.forEach((policy, i) => {
      const r = run(policy, i, current, 'mutate')
      mutated.push(r.responses)
      current = r.patched
      patchedBy.push(current)
    })
    // reinvocationPolicy IfNeeded: a policy runs once more when policies after it changed the object, as the API server reinvokes it.
    input.policies.forEach((policy, i) => {
      if (
        policy.reinvoke !== true ||
        limited[i] !== undefined ||
        JSON.stringify(patchedBy[i]) === JSON.stringify(current)
      )
        return
      const r = run(policy, i, current, 'mutate')
      mutated[i] = r.responses
      current = r.patched
      patchedBy[i] = current
    })
    input.policies.forEach((policy, i) => {
      const r = limited[i] === undefined ? run(policy, i, current, 'rest') : { responses: [] }
      const limit = limited[i]
      engine.push({
        policy: policy.testName,
        resource,
        patched: patchedBy[i] as KubeObject,
        responses: [...(mutated[i] ?? []), ...r.responses],
        ...(limit === undefined ? {} : { limit }),
      })
    })
  }
  const rows: TestRow[] = []
  for (const expectation of input.spec.results) {
    for (const resourceName of expectation.resources)
      rows.push(check(input, expectation, resourceName, engine, resources))
  }
  return rows
}

/** Image data as Kyverno's imageRegistry context gives it, from a context file's image entry. */
function imageData(reference: string, images: readonly Record<string, unknown>[]): Record<string, unknown> | undefined {
  const norm = (r: string): string => parseImage(r).reference as string
  const found = images.find(
    (i) => typeof i.image === 'string' && (i.image === reference || norm(i.image) === norm(reference)),
  )
  if (found === undefined) return undefined
  const parts = parseImage(String(found.image))
  return {
    image: found.image,
    resolvedImage: found.image,
    registry: parts.registry,
    repository: parts.path,
    identifier: parts.digest ?? parts.tag,
    manifest: found.manifest ?? {},
    configData: isRecord(found.config) ? found.config : {},
  }
}

function ruleMatches(expectation: TestExpectation, response: RuleResponse): boolean {
  const rule = response.rule
  if (expectation.anyRule || (response.policyLevel === true && expectation.rule === '')) return true
  return (
    rule === expectation.rule ||
    rule === `autogen-${expectation.rule}` ||
    rule === `autogen-cronjob-${expectation.rule}`
  )
}

function check(
  input: TestInput,
  e: TestExpectation,
  resourceName: string,
  engine: EngineResponse[],
  resources: KubeObject[],
): TestRow {
  const row = {
    test: input.path,
    policy: e.policy,
    rule: e.rule,
    resource: resourceName,
    kind: e.kind,
    expected: e.result,
  }
  const found = engine.filter((r) => {
    if (r.policy !== e.policy || r.resource.kind !== e.kind) return false
    if (e.namespace !== '' && namespaceOf(r.resource) !== e.namespace) return false
    const n = nameOf(r.resource)
    return n === resourceName || `${namespaceOf(r.resource)}/${n}` === resourceName
  })
  if (found.length === 0) {
    const exists = resources.some(
      (r) => nameOf(r) === resourceName || `${namespaceOf(r)}/${nameOf(r)}` === resourceName,
    )
    const known = input.policies.some((p) => p.testName === e.policy)
    return {
      ...row,
      actual: 'not found',
      outcome: 'unmet',
      reason: !known
        ? `policy ${e.policy} not loaded`
        : exists
          ? `no ${e.kind} named ${resourceName}`
          : `resource ${resourceName} not found`,
    }
  }
  // A policy that ran out of budget or time checked nothing: an error, never met (whatever the expected result).
  const limit = found.find((r) => r.limit !== undefined)?.limit
  if (limit !== undefined) return { ...row, actual: 'error', outcome: 'unmet', reason: limit }
  const responses = found.flatMap((r) =>
    r.responses.filter((x) => ruleMatches(e, x)).map((x) => ({ engine: r, rule: x })),
  )
  if (responses.length === 0)
    return { ...row, actual: 'excluded', outcome: 'vacuous', reason: 'the rule did not match the resource' }
  const actuals: string[] = []
  let met = true
  let reason: string | undefined
  for (const { engine: r, rule: response } of responses) {
    let rule = response
    if (e.patchedResources !== undefined) {
      const mismatch = compareExpected(input, e.patchedResources, r.patched)
      // As Kyverno's runner: a mutation whose result differs from the expected patched resource is a fail.
      if (mismatch && rule.status === 'pass') rule = { ...rule, status: 'fail', message: mismatch }
      else if (mismatch) {
        met = false
        reason = mismatch
      }
    }
    actuals.push(rule.status)
    if (e.generatedResource !== undefined) {
      const generated = rule.generated ?? []
      const mismatch =
        generated.length === 0
          ? 'no resource was generated'
          : generated
                .map((g) => compareExpected(input, e.generatedResource as string, g))
                .find((m) => m === undefined) === undefined
            ? compareExpected(input, e.generatedResource, generated[0] as KubeObject)
            : undefined
      if (mismatch) {
        met = false
        reason = mismatch
      }
    }
    if (rule.status !== e.result) {
      met = false
      reason = rule.status === 'error' ? rule.message : (reason ?? rule.message)
    }
  }
  const actual = [...new Set(actuals)].join(',')
  return { ...row, actual, outcome: met ? 'met' : 'unmet', ...(met || reason === undefined ? {} : { reason }) }
}

function compareExpected(input: TestInput, file: string, actual: KubeObject): string | undefined {
  const docs = input.loadExpected(file)
  if (typeof docs === 'string') return docs
  const candidates = docs.map(withDefaultNamespace)
  const named =
    candidates.find(
      (d) => d.kind === actual.kind && nameOf(d) === nameOf(actual) && namespaceOf(d) === namespaceOf(actual),
    ) ?? candidates.find((d) => d.kind === actual.kind && nameOf(d) === nameOf(actual))
  // A file holding one resource of another name is the expected content for any resource, as Kyverno's runner reads it.
  const single = candidates.length === 1 ? candidates[0] : undefined
  const renamed = (d: KubeObject): KubeObject => {
    const { namespace: _ns, ...rest } = meta(d)
    return {
      ...d,
      metadata: {
        ...rest,
        name: nameOf(actual),
        ...(namespaceOf(actual) === '' ? {} : { namespace: namespaceOf(actual) }),
      },
    }
  }
  const expected = named ?? (single === undefined ? undefined : renamed(single))
  if (expected === undefined) return `${file} holds no ${String(actual.kind)} ${nameOf(actual)}`
  const where = firstDifference(tidy(expected), tidy(actual), '')
  return where === undefined
    ? undefined
    : `${file}: resource differs from the expected one at ${where.path || '/'} (expected ${where.expected}, got ${where.actual})`
}
