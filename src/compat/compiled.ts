import {
  isRecord,
  isSeverity,
  namespacesByName,
  type KubeObject,
  type Severity,
  type Violation,
} from '../core/index.js'
import {
  DEFAULT_EVAL_COST,
  DEFAULT_EVAL_TIMEOUT_MS,
  EvalLimitError,
  RequestDeadlineError,
  stablePath,
  withBudget,
  type CompiledPolicy,
  type EvalContext,
  type EvalLimits,
  type PolicyInfo,
  type PolicyOutcome,
} from '../engine/index.js'
import { CLUSTER_SCOPED_KINDS } from './kyverno/match.js'
import { indexObjects } from './object-index.js'
import type { Jmespath } from './kyverno/jmespath.js'
import type { RuleHooks } from './kyverno/policy.js'
import { NO_USER, type UserInfo } from './kyverno/request.js'
import type { RuleResponse } from './shared/rule-response.js'
import type { UserPolicy } from './load.js'
import type { PolicyRunEnv } from './run-env.js'

/** What user policies need in a scan besides the resources. */
export interface ScanOptions {
  jp: Jmespath
  hooks: RuleHooks
  /** Objects besides the scanned ones that policies may read (params, ConfigMaps in the policy folder). */
  extraObjects?: readonly KubeObject[]
  /** Severity of findings when the policy does not say (policies.kyverno.io/severity). */
  defaultSeverity?: Severity
  /** The clock of the run (Kyverno's CEL `time.now()`; default: the wall clock). */
  now?: () => Date
  /** Cost and time limits of one policy on one resource (default: DEFAULT_EVAL_LIMITS). */
  limits?: EvalLimits
}

/** Kubernetes' CEL cost budget of one request, and two seconds of wall-clock time. */
export const DEFAULT_EVAL_LIMITS: EvalLimits = {
  cost: DEFAULT_EVAL_COST,
  timeoutMs: DEFAULT_EVAL_TIMEOUT_MS,
  clock: () => performance.now(),
}

const meta = (o: KubeObject): Record<string, unknown> => (isRecord(o.metadata) ? o.metadata : {})

function info(policy: UserPolicy, severity: Severity): PolicyInfo {
  return {
    id: policy.testName,
    title: `${policy.kind} ${policy.testName}`,
    summary: `User policy ${policy.kind} ${policy.testName} from ${policy.file}`,
    rationale: 'Declared by the policy author.',
    severity,
    category: 'user',
    controls: [],
    stage: 'stable',
    sets: [],
    source: policy.file,
  }
}

function violationOf(policyId: string, object: KubeObject, r: RuleResponse, severity: Severity): Violation | undefined {
  const base = { policyId, messageId: r.rule, severity }
  if (r.status === 'error')
    return {
      ...base,
      message: r.message || `rule ${r.rule} could not be evaluated`,
      status: 'error',
      path: r.path ?? '',
      stablePath: stablePath(object, r.path ?? ''),
    }
  if (r.type === 'validate' && r.status === 'fail')
    return {
      ...base,
      message: r.message || `rule ${r.rule} failed`,
      status: 'fail',
      path: r.path ?? '',
      stablePath: stablePath(object, r.path ?? ''),
    }
  // A MutatingPolicy's change is a finding whose fix is the mutation (applied by /mutate and fixes).
  if (r.type === 'mutate' && r.patch !== undefined && r.patch.length > 0) {
    const path = r.patch[0]?.path ?? ''
    return {
      ...base,
      message: `MutatingPolicy ${r.rule} would change this resource (${r.patch.length} operation${r.patch.length === 1 ? '' : 's'})`,
      status: 'fail',
      path,
      stablePath: stablePath(object, path),
      fix: { safety: 'safe', patch: r.patch },
    }
  }
  // A GeneratingPolicy's objects are reported, never created.
  if (r.type === 'generate' && r.generated !== undefined && r.generated.length > 0)
    return { ...base, message: r.message, status: 'fail', path: '', stablePath: stablePath(object, '') }
  return undefined
}

/** Which responses give findings: validate rules; for MutatingPolicy its mutation, for GeneratingPolicy its objects. */
function findingTypes(kind: string): ReadonlySet<RuleResponse['type']> {
  return new Set(kind === 'MutatingPolicy' ? ['mutate'] : kind === 'GeneratingPolicy' ? ['generate'] : ['validate'])
}

function outcome(
  policyId: string,
  object: KubeObject,
  responses: readonly RuleResponse[],
  severity: Severity,
  types: ReadonlySet<RuleResponse['type']>,
): PolicyOutcome | undefined {
  const relevant = responses.filter((r) => types.has(r.type))
  if (relevant.length === 0) return undefined
  const violations = relevant
    .map((r) => violationOf(policyId, object, r, severity))
    .filter((v): v is Violation => v !== undefined)
  const status = violations.some((v) => v.status === 'fail') ? 'fail' : violations.length > 0 ? 'error' : 'pass'
  return { status, violations }
}

/** The outcome of a policy that ran out of cost budget or time on a resource: an error, never a pass. */
function limitOutcome(policyId: string, object: KubeObject, error: EvalLimitError, severity: Severity): PolicyOutcome {
  const hint =
    error.limit === 'time'
      ? 'simplify the policy, or raise --eval-timeout if it is legitimately slow'
      : 'the policy does more work than Kubernetes would allow one admission request; simplify it'
  const message = `policy ${policyId} stopped on this resource: ${error.message}; ${hint}`
  return {
    status: 'error',
    violations: [
      {
        policyId,
        messageId: 'evaluationLimit',
        message,
        status: 'error',
        severity,
        path: '',
        stablePath: stablePath(object, ''),
      },
    ],
  }
}

/**
 * The labels of the namespace an object is in, as the cluster has them: those of its
 * Namespace when it is among the objects, and `kubernetes.io/metadata.name`, which the API
 * server sets on every Namespace (so selectors on it match as they would in the cluster).
 */
function namespaceLabels(ns: string, nsObject: KubeObject | undefined): Record<string, string> {
  const labels = nsObject && isRecord(meta(nsObject).labels) ? (meta(nsObject).labels as Record<string, string>) : {}
  return ns === '' ? labels : { ...labels, 'kubernetes.io/metadata.name': ns }
}

/**
 * Turn user policies into engine policies for `palisade scan --policy-dir`. They run over
 * every resource of the run at once (evaluateAll), so that context lookups, VAP params and
 * namespace selectors see the other objects, as they would in a cluster. Only validate
 * rules produce findings; each scanned resource is a CREATE by nobody in particular. One
 * object evaluated with an admission request (the webhook) sees that request: its
 * operation, oldObject and user, so `exclude.subjects` and `request.operation` work.
 */
export function toCompiledPolicies(policies: readonly UserPolicy[], options: ScanOptions): CompiledPolicy[] {
  return policies.map((policy) => {
    const severity = options.defaultSeverity ?? 'medium'
    const limits = options.limits ?? DEFAULT_EVAL_LIMITS
    const types = findingTypes(policy.kind)
    const evaluateMany = (objects: readonly KubeObject[], admission?: AdmissionView): Map<number, PolicyOutcome> => {
      const all = [...objects, ...(options.extraObjects ?? [])]
      const namespaces = namespacesByName(all)
      const index = indexObjects(all)
      const labelsOf = new Map<string, Record<string, string>>()
      const out = new Map<number, PolicyOutcome>()
      objects.forEach((object, i) => {
        if (policy.kinds !== undefined && !policy.kinds.has(String(object.kind))) return
        const ns = object.kind === 'Namespace' ? String(meta(object).name ?? '') : String(meta(object).namespace ?? '')
        let labels = labelsOf.get(ns)
        if (labels === undefined) labelsOf.set(ns, (labels = namespaceLabels(ns, namespaces.get(ns))))
        const env: PolicyRunEnv = {
          operation: admission?.operation ?? 'CREATE',
          oldObject: admission?.oldObject ?? null,
          user: admission?.user ?? NO_USER,
          namespaceLabels: labels,
          values: { global: {}, resource: {}, rule: () => ({}) },
          lookup: (_v, kind, namespace, name) =>
            index
              .named(kind, name)
              .find((o) => namespace === '' || CLUSTER_SCOPED_KINDS.has(kind) || meta(o).namespace === namespace),
          list: (_v, kind, namespace) =>
            index.ofKind(kind).filter((o) => namespace === undefined || meta(o).namespace === namespace),
          jp: options.jp,
          hooks: options.hooks,
          objects: all,
          namespaces,
          ...(options.now === undefined ? {} : { now: options.now }),
        }
        const policySeverity = severityOf(policy, severity)
        let r: PolicyOutcome | undefined
        try {
          // A MutatingPolicy acts in the mutate phase.
          const phase = policy.kind === 'MutatingPolicy' ? 'mutate' : 'rest'
          r = withBudget(limits, () =>
            outcome(policy.testName, object, policy.run(object, env, phase).responses, policySeverity, types),
          )
        } catch (error) {
          // The request's deadline stops the whole request, not this policy alone.
          if (!(error instanceof EvalLimitError) || error instanceof RequestDeadlineError) throw error
          r = limitOutcome(policy.testName, object, error, policySeverity)
        }
        if (r) out.set(i, r)
      })
      return out
    }
    return {
      meta: info(policy, severityOf(policy, severity)),
      kinds: policy.kinds,
      evaluate: (object, context) => evaluateMany([object], admissionView(context)).get(0),
      evaluateAll: (objects) => evaluateMany(objects),
    }
  })
}

/** What an admission request tells a Kyverno rule beyond the object. */
interface AdmissionView {
  operation: string
  oldObject: KubeObject | null
  user: UserInfo
}

/** The request of an evaluation context, as Kyverno sees it; undefined for a scan's synthetic CREATE by nobody. */
function admissionView(context: EvalContext | undefined): AdmissionView | undefined {
  const request = context?.request
  if (request === undefined) return undefined
  const operation = typeof request.operation === 'string' ? request.operation : 'CREATE'
  const info = isRecord(request.userInfo) ? request.userInfo : {}
  const username = typeof info.username === 'string' ? info.username : ''
  const groups = Array.isArray(info.groups) ? info.groups.filter((g): g is string => typeof g === 'string') : []
  // Roles and cluster roles come from RBAC, which Palisade does not read (no API access).
  return { operation, oldObject: context?.oldObject ?? null, user: { username, groups, roles: [], clusterRoles: [] } }
}

function severityOf(policy: UserPolicy, fallback: Severity): Severity {
  const s = policy.severity
  return s !== undefined && isSeverity(s) ? s : fallback
}
