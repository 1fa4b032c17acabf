import type { KubeObject, PolicyMeta, Violation } from '../core/index.js'
import type { HeaderRole, PartRole } from './policy-spec.js'

/** Everything a policy may see besides the object itself. */
export interface EvalContext {
  /** Environment name (dev, staging, production, ...) when known. */
  environment?: string
  /** The object before an UPDATE (admission); null otherwise. */
  oldObject?: KubeObject | null
  /** The admission request attributes; scans get a synthesised CREATE request. */
  request?: Readonly<Record<string, unknown>>
  /** The Namespace object of the resource, when known. */
  namespaceObject?: KubeObject | null
}

/** Outcome of one policy on one resource. */
export interface PolicyOutcome {
  status: 'pass' | 'fail' | 'error'
  /** Failing and erroring rules; empty on pass. */
  violations: Violation[]
}

/** Metadata of a compiled policy: what reports need, plus selection data. */
export interface PolicyInfo extends PolicyMeta {
  stage: 'stable' | 'experimental'
  sets: readonly string[]
  /** Where the policy came from: 'builtin', or the file of a user policy. */
  source: string
  /** Skipped for resources whose namespace is unknown (see PolicySpec.namespaceDependent). */
  namespaceDependent?: true
}

/** A policy ready to run over many resources. Pure and reentrant. */
export interface CompiledPolicy {
  meta: PolicyInfo
  /** Kind names to index the policy by; undefined = any kind. */
  kinds: ReadonlySet<string> | undefined
  /** Undefined when the policy does not apply to the object. */
  evaluate(object: KubeObject, context: EvalContext): PolicyOutcome | undefined
  /**
   * Cross-resource policies only: evaluate over every resource of a run at once.
   * Returns an outcome for each resource the policy applies to, by index.
   */
  evaluateAll?(
    objects: readonly KubeObject[],
    environments: readonly (string | undefined)[],
  ): Map<number, PolicyOutcome>
  /** Cross-resource policies that declare it: the part of an object evaluateAll reads (see PolicySpec.reads). */
  reads?: (object: KubeObject) => KubeObject | undefined
  /** What a kept part is to evaluateAll (see PolicySpec.partRole). */
  partRole?: (part: KubeObject) => PartRole | undefined
  /** What a document's part can be from its header alone (see PolicySpec.headerRole). */
  headerRole?: (header: KubeObject) => HeaderRole
}
