import type { ControlRef, FixProposal, KubeObject, PatchOperation, Severity } from '../core/index.js'

/** Policy groups; docs and `palisade policies list` use them. */
export type Category = 'pod-security' | 'workload' | 'images' | 'rbac' | 'network' | 'secrets' | 'gitops' | 'namespaces'

/**
 * Which resources a policy looks at.
 *
 * @example
 * { kinds: ['Pod'], includePodTemplates: true } // Pods and every pod template in workloads
 * { kinds: ['rbac.authorization.k8s.io/ClusterRole', 'Role'] }
 */
export interface MatchSpec {
  /** `Kind`, `group/Kind` (core group: `/Kind` or `v1/Kind` style not needed) or `*`. */
  kinds: readonly string[]
  /** With `Pod` in kinds: also every pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate). */
  includePodTemplates?: boolean
  /** Namespace globs the resource must be in (cluster-scoped resources never match when set). */
  namespaces?: readonly string[]
  /** Namespace globs to skip. */
  excludeNamespaces?: readonly string[]
  /** Only in these environments (names from palisade.yaml); absent = every environment. */
  environments?: readonly string[]
  /** CEL; the policy applies only where it is true (like VAP matchConditions). */
  condition?: string
}

/**
 * Iterate over the elements at one or more JSON Pointers. Lists give their items,
 * maps give `{key, value}` entries. A missing path gives no elements.
 */
export interface ForEachSpec {
  /** JSON Pointers relative to the resource (or to the enclosing element for a rule-level forEach). */
  paths: readonly string[]
  /** CEL variable name bound to each element. */
  as: string
}

/** How to fix a failing rule. Patch paths are relative to the current element (or resource). */
export interface FixSpec {
  safety: FixProposal['safety']
  patch: readonly PatchOperation[]
}

/** One check. The expression holds for compliant resources, exactly as a VAP validation. */
export interface RuleSpec {
  /** Key into the policy's `messages`. */
  messageId: string
  /** CEL that is true when the resource (or element) complies. */
  expression: string
  /** JSON Pointer of the field the finding is about, relative to the element (or resource). */
  path?: string
  /** Iterate this rule over sub-elements of the current element. */
  forEach?: ForEachSpec
  /** CEL expressions for the `{{placeholders}}` of the message, evaluated only on failure. */
  data?: Readonly<Record<string, string>>
  /** Overrides the policy's severity for this rule. */
  severity?: Severity
  fix?: FixSpec
}

/** A policy parameter, set per policy in palisade.yaml (`policies.<id>.params`). */
export interface ParamSpec {
  description: string
  default: unknown
}

/** A built-in or user policy, as data. */
export interface PolicySpec {
  /** Kebab-case, starting with disallow-, require- or restrict- for built-ins. */
  id: string
  title: string
  /** One line. */
  summary: string
  /** Why it matters. */
  rationale: string
  /** How to fix, in prose. */
  remediation?: string
  severity: Severity
  category: Category
  /** `experimental` keeps a policy out of the default set until it is promoted. */
  stage?: 'stable' | 'experimental'
  /** Named sets the policy belongs to besides `all` (pss-baseline, pss-restricted, best-practices, ...). */
  sets?: readonly string[]
  /**
   * The verdict depends on the namespace the resource is deployed to. A resource whose
   * namespace is unknown (a chart rendered with no namespace from Argo CD, Flux or
   * palisade.yaml) gets `skip` from such a policy, neither a fail nor a pass.
   */
  namespaceDependent?: boolean
  controls: readonly ControlRef[]
  messages: Readonly<Record<string, string>>
  match: MatchSpec
  params?: Readonly<Record<string, ParamSpec>>
  /** Named CEL values, available as `variables.<name>` (evaluated lazily, once per resource). */
  variables?: readonly { name: string; expression: string }[]
  forEach?: ForEachSpec
  /** CEL rules (the default kind of policy). Exactly one of rules, check and checkAll. */
  rules?: readonly RuleSpec[]
  /** A native TypeScript check of one resource, for what CEL cannot say well (entropy, parsing). */
  check?: NativeCheck
  /** A native check over every resource of a run (cross-resource: default-deny per namespace). */
  checkAll?: NativeSetCheck
  /**
   * checkAll policies: the part of an object the check reads (undefined: nothing of it). A
   * streaming scan keeps only these parts of every resource until the run's end, instead of
   * every object; checkAll over the kept parts must say what it says over the whole objects.
   */
  reads?: (object: KubeObject) => KubeObject | undefined
  /**
   * checkAll policies with `reads`: how little of the run the check needs of a part, so that
   * a streaming scan keeps facts, not one part per resource (see PartRole). Undefined (for
   * the policy or a part): the part is kept and read with every other.
   */
  partRole?: (part: KubeObject) => PartRole | undefined
  /**
   * checkAll policies with `reads`: what `reads` and `partRole` say of any object with this
   * header (`{apiVersion, kind, metadata: {namespace}}`, the namespace left out when the object
   * has none), so that a streaming scan's first pass parses only the documents it may keep a
   * part of (see HeaderRole). Undefined: every document is parsed.
   */
  headerRole?: (header: KubeObject) => HeaderRole
}

/**
 * What a policy's part of an object can be, from the object's header alone:
 * - `none`: `reads` gives nothing of any object with this header;
 * - a PartRole: `reads` gives nothing, or a part with this role (a `subject`: nothing kept;
 *   a `first`: kept unless a part with this key came earlier);
 * - `part`: anything else (the document is parsed).
 */
export type HeaderRole = 'none' | 'part' | PartRole

/**
 * What a kept part is to its checkAll policy.
 * - `first`: of the parts with the same key, the check reads only the first in run order; the
 *   others change no verdict and get none (a namespace runs workloads: its first one is enough).
 * - `fact` / `subject`: a subject's verdict depends only on it and on the facts of the same
 *   scope (checkAll over those facts and the subject gives it), and facts get no verdict: a
 *   pod and the ServiceAccounts of its namespace. Subjects are judged one by one in the second
 *   pass; only facts are kept.
 */
export type PartRole = { first: string } | { fact: string } | { subject: string }

/** What a native check reports: a message id with its data, at a JSON Pointer. */
export interface NativeViolation {
  messageId: string
  /** JSON Pointer relative to the object given to the check. */
  path: string
  data?: Readonly<Record<string, unknown>>
  severity?: Severity
  fix?: FixSpec
  /** `error`: the check could not be made (an input it needs is missing); it blocks like any error. Default `fail`. */
  status?: 'fail' | 'error'
}

/** Inputs of a native check besides the object. */
export interface NativeContext {
  params: Readonly<Record<string, unknown>>
  environment?: string
  namespaceObject?: KubeObject | null
}

/** A pure function from one (matched) object to its violations. */
export type NativeCheck = (object: KubeObject, context: NativeContext) => readonly NativeViolation[]

/** A pure function over every resource of a run; `index` says which resource each violation is about. */
export type NativeSetCheck = (
  objects: readonly KubeObject[],
  context: { params: Readonly<Record<string, unknown>>; environments: readonly (string | undefined)[] },
) => readonly (NativeViolation & { index: number })[]

/** Identity function that type-checks a policy definition. */
export function definePolicy<const T extends PolicySpec>(spec: T): T {
  return spec
}

/** Paths of every container list in a pod spec, as Pod Security Standards define "containers". */
export const ALL_CONTAINERS: readonly string[] = [
  '/spec/initContainers',
  '/spec/containers',
  '/spec/ephemeralContainers',
]
