import type { KubeObject, PatchOperation } from '../../core/index.js'

/** Kyverno's rule statuses. */
export type RuleStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip'

/** What one rule did to one resource, as Kyverno's engine reports it. */
export interface RuleResponse {
  rule: string
  type: 'validate' | 'mutate' | 'generate'
  status: RuleStatus
  message: string
  /** JSON Pointer of the failing field, when known (validate). */
  path?: string
  /** The mutation as RFC 6902 operations on the resource it was given (MutatingPolicy), for /mutate and fixes. */
  patch?: PatchOperation[]
  /** Generated resources (generate rules). */
  generated?: KubeObject[]
  /** The response of a CEL policy as a whole (ValidatingPolicy, VAP): it has no rule name of its own. */
  policyLevel?: boolean
}
