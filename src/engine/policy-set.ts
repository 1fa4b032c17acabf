import { apiGroup, isRecord, type Diagnostic, type KubeObject } from '../core/index.js'
import { compilePolicy, policyInfo } from './compile-policy.js'
import { compileMatch } from './match.js'
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

/** How {@link compilePolicySet} compiles. */
export interface CompileSetOptions {
  /**
   * Specs known to compile (the built-in library, whose every policy a test compiles): their
   * CEL is compiled on their first evaluation instead, so a run pays only for the policies
   * its kinds call for (a small scan used 8 to 62 of the 84). Parameters are still checked
   * now; a deferred policy that then fails to compile throws (an internal error, never a pass).
   * Their message `data` waits further, for a rule's first failure (CompileOptions.lazyData).
   */
  defer?: (spec: PolicySpec) => boolean
}

/**
 * Compile policy specs with per-policy parameters. Policies that fail to compile are
 * left out and reported as diagnostics.
 */
export function compilePolicySet(
  specs: readonly PolicySpec[],
  params: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
  options: CompileSetOptions = {},
): { set: CompiledPolicySet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const compiled: CompiledPolicy[] = []
  for (const spec of specs) {
    const policyParams = params[spec.id]
    const compileOptions = policyParams === undefined ? {} : { params: policyParams }
    if (deferrable(spec, policyParams) && options.defer?.(spec)) {
      compiled.push(deferredPolicy(spec, () => compilePolicy(spec, { ...compileOptions, lazyData: true })))
      continue
    }
    const result = compilePolicy(spec, compileOptions)
    diagnostics.push(...result.diagnostics)
    if (result.policy) compiled.push(result.policy)
  }
  return { set: indexPolicies(compiled), diagnostics }
}

/** CEL rules (native checks cost nothing to compile) with only parameters the spec declares. */
function deferrable(spec: PolicySpec, params: Readonly<Record<string, unknown>> | undefined): boolean {
  if (spec.rules === undefined || spec.check !== undefined || spec.checkAll !== undefined) return false
  return Object.keys(params ?? {}).every((name) => spec.params !== undefined && Object.hasOwn(spec.params, name))
}

/** A policy that compiles itself on its first evaluation; indexed (meta, kinds) as its compiled form is. */
function deferredPolicy(
  spec: PolicySpec,
  compile: () => { policy?: CompiledPolicy; diagnostics: Diagnostic[] },
): CompiledPolicy {
  let policy: CompiledPolicy | undefined
  return {
    meta: policyInfo(spec, {}),
    kinds: compileMatch(spec.match).kinds,
    evaluate(object, context) {
      if (policy === undefined) {
        const result = compile()
        if (!result.policy)
          throw new Error(
            `built-in policy ${spec.id} does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`,
          )
        policy = result.policy
      }
      return policy.evaluate(object, context)
    },
  }
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
