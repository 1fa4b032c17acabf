import { isRecord, type KubeObject } from '../../core/index.js'
import { computeRules } from './autogen.js'
import {
  extend,
  loadContext,
  preconditionsHold,
  setDotted,
  type ObjectList,
  type ObjectLookup,
  type RuleContext,
} from './context.js'
import { CompatError, isCompatError, unsupported } from '../shared/errors.js'
import type { Jmespath } from './jmespath.js'
import { excludeBlock, kindNamesOf, matchBlock, type MatchRequest } from './match.js'
import { requestContext, type UserInfo } from './request.js'
import { CelPrograms } from '../shared/cel-program.js'
import type { RuleResponse } from '../shared/rule-response.js'
import { runValidate, type ValidateHooks, type ValidateResult } from './validate.js'

type Raw = Record<string, unknown>

/** A Kyverno ClusterPolicy or Policy, read and ready to run. */
export interface KyvernoPolicy {
  kind: 'ClusterPolicy' | 'Policy'
  name: string
  /** Namespace of a Policy: it only applies to resources there. */
  namespace?: string
  annotations: Readonly<Record<string, string>>
  /** Enforce or Audit, from spec.validationFailureAction (Audit when absent). */
  failureAction: 'Enforce' | 'Audit'
  /** Rules as Kyverno runs them, autogen rules included. */
  rules: readonly Raw[]
  /** Kind names the policy's rules name (undefined: any kind). */
  kinds: ReadonlySet<string> | undefined
  /** The CEL programs of its rules (validate.cel, celPreconditions), compiled when the policy is read. */
  cel: CelPrograms
}

/** Values a test gives: global, per resource and per rule (dotted keys set context fields). */
export interface RuleValues {
  global: Readonly<Record<string, unknown>>
  resource: Readonly<Record<string, unknown>>
  rule(name: string): Readonly<Record<string, unknown>>
}

/** What mutate and generate rules need besides the context (implemented in mutate/generate). */
export interface RuleHooks extends ValidateHooks {
  mutate(
    rule: Raw,
    resource: KubeObject,
    ctx: RuleContext,
    provided: ReadonlySet<string>,
  ): { status: RuleResponse['status']; message: string; patched: KubeObject }
  generate(
    rule: Raw,
    resource: KubeObject,
    ctx: RuleContext,
  ): { status: RuleResponse['status']; message: string; generated: KubeObject[] }
  celPreconditions(conditions: unknown[], resource: KubeObject, ctx: RuleContext): boolean
}

/** Everything a run needs besides the policy and the resource. */
export interface RunEnv {
  operation: string
  oldObject: KubeObject | null
  user: UserInfo
  namespaceLabels: Readonly<Record<string, string>>
  values: RuleValues
  lookup: ObjectLookup
  list: ObjectList
  jp: Jmespath
  hooks: RuleHooks
  /** Image data known without a registry (imageRegistry context). */
  image?: (reference: string) => Record<string, unknown> | undefined
  /** Which rule types to run (a scan runs validate only). */
  types: ReadonlySet<RuleResponse['type']>
}

/** Read a ClusterPolicy/Policy document; throws a POLICY_INVALID error when it is not one. */
export function readKyvernoPolicy(doc: KubeObject): KyvernoPolicy {
  const kind = doc.kind
  if (kind !== 'ClusterPolicy' && kind !== 'Policy')
    throw new CompatError('POLICY_INVALID', `not a Kyverno policy: kind ${String(kind)}`)
  const meta = isRecord(doc.metadata) ? doc.metadata : {}
  if (typeof meta.name !== 'string' || meta.name === '')
    throw new CompatError('POLICY_INVALID', `${kind} has no metadata.name`)
  const spec = isRecord(doc.spec) ? doc.spec : {}
  if (!Array.isArray(spec.rules) || spec.rules.length === 0)
    throw new CompatError('POLICY_INVALID', `${kind} ${meta.name} has no spec.rules`)
  const rawRules = spec.rules.map((r, i) => {
    if (!isRecord(r) || typeof r.name !== 'string')
      throw new CompatError('POLICY_INVALID', `${kind} ${meta.name}: rule ${i} has no name`)
    if (!isRecord(r.match)) throw new CompatError('POLICY_INVALID', `${kind} ${meta.name}: rule ${r.name} has no match`)
    return r
  })
  const annotations: Record<string, string> = {}
  if (isRecord(meta.annotations))
    for (const [k, v] of Object.entries(meta.annotations)) if (typeof v === 'string') annotations[k] = v
  const rules = computeRules(rawRules, annotations)
  const action = String(spec.validationFailureAction ?? 'Audit').toLowerCase()
  const kinds = new Set<string>()
  let anyKind = false
  for (const r of rules) {
    const k = kindNamesOf(r.match)
    if (k === undefined) anyKind = true
    else for (const x of k) kinds.add(x)
  }
  const cel = new CelPrograms()
  for (const r of rules) for (const expression of celExpressions(r)) cel.compile(expression)
  return {
    kind,
    name: meta.name,
    ...(kind === 'Policy'
      ? { namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default' }
      : {}),
    annotations,
    failureAction: action === 'enforce' ? 'Enforce' : 'Audit',
    rules,
    kinds: anyKind ? undefined : kinds,
    cel,
  }
}

/** The CEL expressions of a rule (celPreconditions, validate.cel), compiled with the policy. */
function celExpressions(rule: Raw): string[] {
  const of = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter(isRecord).map((x) => String(x.expression ?? '')) : []
  const cel = isRecord(rule.validate) && isRecord(rule.validate.cel) ? rule.validate.cel : {}
  return [...of(rule.celPreconditions), ...of(cel.expressions), ...of(cel.variables)]
}

const ruleType = (rule: Raw): RuleResponse['type'] | undefined =>
  rule.validate !== undefined
    ? 'validate'
    : rule.mutate !== undefined
      ? 'mutate'
      : rule.generate !== undefined
        ? 'generate'
        : undefined

/**
 * Run a policy's rules on one resource as Kyverno's engine does: mutate rules first, in
 * order, each on the result of the one before; then validate rules on the mutated
 * resource; then generate rules. Rules that do not match give no response.
 */
export function runPolicy(
  policy: KyvernoPolicy,
  resource: KubeObject,
  env: RunEnv,
): { responses: RuleResponse[]; patched: KubeObject } {
  const responses: RuleResponse[] = []
  const meta = isRecord(resource.metadata) ? resource.metadata : {}
  if (policy.namespace !== undefined) {
    const ns = resource.kind === 'Namespace' ? meta.name : meta.namespace
    if (ns !== policy.namespace) return { responses, patched: resource }
  }
  let current = resource
  for (const phase of ['mutate', 'validate', 'generate'] as const) {
    if (!env.types.has(phase)) continue
    for (const rule of policy.rules) {
      if (ruleType(rule) !== phase) {
        if (phase === 'validate' && rule.verifyImages !== undefined && ruleType(rule) === undefined) {
          const r = matchedRule(rule, current, env)
          if (r)
            responses.push({
              rule: String(rule.name),
              type: 'validate',
              status: 'error',
              message: unsupported('verifyImages').message,
            })
        }
        continue
      }
      const response = runRule(rule, phase, current, env, policy.cel)
      if (response === undefined) continue
      if (phase === 'mutate' && 'patched' in response && response.patched) current = response.patched
      const { patched: _ignored, ...plain } = response as RuleResponse & { patched?: KubeObject }
      responses.push(plain)
    }
  }
  return { responses, patched: current }
}

function matchedRule(rule: Raw, resource: KubeObject, env: RunEnv): boolean {
  const request: MatchRequest = {
    operation: env.operation,
    username: env.user.username,
    groups: env.user.groups,
    roles: env.user.roles,
    clusterRoles: env.user.clusterRoles,
    namespaceLabels: env.namespaceLabels,
  }
  if (!matchBlock(rule.match, resource, request)) return false
  if (rule.exclude !== undefined && excludeBlock(rule.exclude, resource, request)) return false
  return true
}

/** The context of one rule: request data, then the test's values, then the rule's context entries. */
function ruleContext(
  rule: Raw,
  resource: KubeObject,
  env: RunEnv,
  cel: CelPrograms,
): { ctx: RuleContext; provided: Set<string> } {
  const data = requestContext(resource, env.operation, env.oldObject, env.user)
  const provided = new Set<string>()
  const ruleValues = env.values.rule(String(rule.name).replace(/^autogen-(cronjob-)?/, ''))
  for (const values of [env.values.global, env.values.resource, ruleValues]) {
    for (const [k, v] of Object.entries(values)) {
      setDotted(data, k, v)
      provided.add(k.split('.')[0] as string)
    }
  }
  return {
    ctx: { data, jp: env.jp, cel, lookup: env.lookup, list: env.list, ...(env.image ? { image: env.image } : {}) },
    provided,
  }
}

function runRule(
  rule: Raw,
  phase: RuleResponse['type'],
  resource: KubeObject,
  env: RunEnv,
  cel: CelPrograms,
): (RuleResponse & { patched?: KubeObject }) | undefined {
  if (!matchedRule(rule, resource, env)) return undefined
  const name = String(rule.name)
  const respond = (
    r: ValidateResult | { status: RuleResponse['status']; message: string },
    extra: Partial<RuleResponse> & { patched?: KubeObject } = {},
  ): RuleResponse & { patched?: KubeObject } => ({
    rule: name,
    type: phase,
    status: r.status,
    message: r.message,
    ...('path' in r && r.path !== undefined ? { path: r.path } : {}),
    ...extra,
  })
  try {
    const { ctx: base, provided } = ruleContext(rule, resource, env, cel)
    if (Array.isArray(rule.celPreconditions) && rule.celPreconditions.length > 0) {
      if (!env.hooks.celPreconditions(rule.celPreconditions, resource, base))
        return respond({ status: 'skip', message: 'cel preconditions not met' })
    }
    if (phase === 'mutate') {
      // Mutate rules load their context and preconditions per target inside the hook.
      const r = env.hooks.mutate(rule, resource, base, provided)
      return respond(r, { patched: r.patched })
    }
    const ctx = loadContext(rule.context, base, provided)
    const pre = preconditionsHold(rule.preconditions, ctx)
    if (!pre.holds)
      return respond({ status: 'skip', message: `preconditions not met${pre.message ? `: ${pre.message}` : ''}` })
    if (phase === 'generate') {
      const r = env.hooks.generate(rule, resource, ctx)
      return respond(r, { generated: r.generated })
    }
    const validate = isRecord(rule.validate) ? rule.validate : {}
    return respond(runValidate(validate, resource, extend(ctx, {}), { provided, hooks: env.hooks, ruleName: name }))
  } catch (error) {
    // Every compat error code means the same here: the rule could not be evaluated.
    if (isCompatError(error)) return respond({ status: 'error', message: error.message })
    throw error
  }
}
