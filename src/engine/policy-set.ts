import { apiGroup, isRecord, type Diagnostic, type KubeObject } from '../core/index.js'
import { compilePolicy } from './compile-policy.js'
import type { PolicySpec } from './policy-spec.js'
import type { CompiledPolicy, EvalContext, PolicyOutcome } from './types.js'

/** Compiled policies indexed by kind for fast dispatch. */
export interface CompiledPolicySet {
  readonly policies: readonly CompiledPolicy[]
  readonly byKind: ReadonlyMap<string, readonly CompiledPolicy[]>
  readonly anyKind: readonly CompiledPolicy[]
  /** Policies that look at every resource of a run at once (evaluateAll). */
  readonly crossResource: readonly CompiledPolicy[]
}

/** Index already compiled policies (built-in, Kyverno, VAP, ...) into one set. */
export function indexPolicies(policies: readonly CompiledPolicy[]): CompiledPolicySet {
  const byKind = new Map<string, CompiledPolicy[]>()
  const anyKind: CompiledPolicy[] = []
  const crossResource: CompiledPolicy[] = []
  for (const policy of policies) {
    if (policy.evaluateAll) {
      crossResource.push(policy)
      continue
    }
    if (policy.kinds === undefined) {
      anyKind.push(policy)
      continue
    }
    for (const kind of policy.kinds) {
      const list = byKind.get(kind)
      if (list) list.push(policy)
      else byKind.set(kind, [policy])
    }
  }
  return { policies, byKind, anyKind, crossResource }
}

/**
 * Compile policy specs with per-policy parameters. Policies that fail to compile are
 * left out and reported as diagnostics.
 */
export function compilePolicySet(
  specs: readonly PolicySpec[],
  params: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): { set: CompiledPolicySet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const compiled: CompiledPolicy[] = []
  for (const spec of specs) {
    const policyParams = params[spec.id]
    const result = compilePolicy(spec, policyParams === undefined ? {} : { params: policyParams })
    diagnostics.push(...result.diagnostics)
    if (result.policy) compiled.push(result.policy)
  }
  return { set: indexPolicies(compiled), diagnostics }
}

/** One policy's outcome on a resource. */
export interface Evaluation {
  policy: CompiledPolicy
  outcome: PolicyOutcome
}

/** The admission-style request a scan implies: a CREATE by nobody in particular. */
export function syntheticRequest(object: KubeObject): Record<string, unknown> {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
  return {
    operation: 'CREATE',
    dryRun: false,
    kind: {
      group: apiGroup(apiVersion),
      version: apiVersion.slice(apiVersion.indexOf('/') + 1),
      kind: object.kind ?? '',
    },
    name: meta.name ?? '',
    namespace: meta.namespace ?? '',
    userInfo: { username: '', groups: [] },
  }
}

/**
 * Run every applicable policy of the set on one object. Pure: the same object and
 * context always give the same outcomes, in the set's policy order.
 */
export function evaluate(set: CompiledPolicySet, object: KubeObject, context: EvalContext = {}): Evaluation[] {
  const kind = typeof object.kind === 'string' ? object.kind : ''
  const candidates = set.byKind.get(kind)
  const out: Evaluation[] = []
  if (candidates === undefined && set.anyKind.length === 0) return out
  const ctx: EvalContext = context.request === undefined ? { ...context, request: syntheticRequest(object) } : context
  for (const list of [candidates ?? [], set.anyKind]) {
    for (const policy of list) {
      const outcome = policy.evaluate(object, ctx)
      if (outcome) out.push({ policy, outcome })
    }
  }
  return out
}
