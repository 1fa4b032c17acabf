import type { FixProposal, KubeObject, PatchOperation, WaiverRef } from '../core/index.js'
import { combineFixes } from '../engine/index.js'

/** What the fix model needs of a finding (a scan's Finding and admission's PlacedFinding both fit). */
export interface FixableFinding {
  policyId: string
  path: string
  status: 'fail' | 'error'
  fix?: FixProposal
  waiver?: WaiverRef
}

/** Why a finding's fix is not applied. */
export type LeftReason =
  /** the policy offers no fix for it (or it could not be evaluated) */
  | 'no-fix'
  /** the fix may change behaviour: applied only with --unsafe (never by /mutate) */
  | 'unsafe'
  /** the result would be an object the API server rejects (or the kubelet cannot start) */
  | 'invalid'
  /** a waiver covers it: nothing to fix */
  | 'waived'
  /** one of a set of fixes that must go together could not be applied, so none of the set is */
  | 'incoherent'
  /** the source that produces the field could not be edited safely (alias, computed Helm value, ...) */
  | 'source'
  /** the edit was made, then undone because the re-scan did not prove it */
  | 'rolled-back'

/** A finding left unfixed, with why. */
export interface Left<T> {
  item: T
  reason: LeftReason
  detail?: string
}

/**
 * Fixes that only make sense together: the Pod Security Standards `restricted` set for a
 * container (no privilege escalation, non-root, capabilities dropped, seccomp
 * RuntimeDefault). When more than one of them is to be applied to a resource, they are
 * applied as one change or not at all, so a resource never ends half-way.
 */
export const RESTRICTED_SET: ReadonlySet<string> = new Set([
  'disallow-privilege-escalation',
  'require-run-as-non-root',
  'require-drop-all-capabilities',
  'require-seccomp-profile',
])

/** Which fixes to apply. `/mutate` applies safe fixes only; `palisade fix --unsafe` applies both. */
export interface SelectOptions {
  unsafe: boolean
}

/** The fixes chosen for one resource: operations (paths relative to the resource) and the result. */
export interface Selection<T> {
  operations: PatchOperation[]
  result: KubeObject
  applied: T[]
  left: Left<T>[]
}

/**
 * The one fix model of Palisade, shared by `/mutate` and `palisade fix`: from the findings
 * of one resource, pick the fixes to apply (failed, not waived, offered, safe unless
 * `unsafe`, never one the API server would reject), combine them in order on a copy of the
 * object, and keep each only when the object stays as valid for the API server as it was
 * (engine/fix.ts); the `restricted` set goes as one change. Pure.
 */
export function selectFixes<T extends FixableFinding>(
  object: KubeObject,
  findings: readonly T[],
  options: SelectOptions,
): Selection<T> {
  const left: Left<T>[] = []
  const candidates: (T & { fix: FixProposal })[] = []
  for (const f of findings) {
    if (f.waiver) left.push({ item: f, reason: 'waived' })
    else if (f.status !== 'fail' || f.fix === undefined || f.fix.patch.length === 0)
      left.push({ item: f, reason: 'no-fix' })
    else if (f.fix.invalid) left.push({ item: f, reason: 'invalid', detail: f.fix.invalid[0] ?? '' })
    else if (f.fix.safety === 'unsafe' && !options.unsafe) left.push({ item: f, reason: 'unsafe' })
    else candidates.push(f as T & { fix: FixProposal })
  }
  // The restricted set first, as one group; then the others one by one.
  const group = candidates.filter((f) => RESTRICTED_SET.has(f.policyId))
  const rest = candidates.filter((f) => !RESTRICTED_SET.has(f.policyId))
  const applied: T[] = []
  const operations: PatchOperation[] = []
  let result = object
  if (group.length > 0) {
    const together = combineFixes(result, group)
    if (together.skipped.length === 0) {
      operations.push(...together.operations)
      result = together.result
      applied.push(...group)
    } else {
      const why = together.skipped.map((s) => `${s.item.policyId}: ${s.problems[0] ?? ''}`).join('; ')
      for (const f of group) {
        const own = together.skipped.find((s) => s.item === f)
        left.push(
          own
            ? { item: f, reason: 'invalid', detail: own.problems[0] ?? '' }
            : { item: f, reason: 'incoherent', detail: why },
        )
      }
    }
  }
  const others = combineFixes(result, rest)
  operations.push(...others.operations)
  result = others.result
  for (const f of rest) {
    const own = others.skipped.find((s) => s.item === f)
    if (own) left.push({ item: f, reason: 'invalid', detail: own.problems[0] ?? '' })
    else applied.push(f)
  }
  return { operations, result, applied, left }
}
