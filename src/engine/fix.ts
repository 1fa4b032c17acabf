import {
  formatPointer,
  isRecord,
  parsePointer,
  type FixProposal,
  type KubeObject,
  type PatchOperation,
} from '../core/index.js'
import { apiServerProblems, apiServerProblemsChangedFrom } from './api-validation.js'
import type { FixSpec } from './policy-spec.js'

/**
 * A fix with paths made absolute from the element's pointer. When `root` (the resource the
 * fix is for) is given, the fix is tried on a copy of it: a fix whose result the API server
 * would reject (or the kubelet would not start) is never called safe, and carries why in
 * `invalid`, so no caller applies it.
 */
export function absoluteFix(fix: FixSpec, at: string, root?: KubeObject): FixProposal {
  const proposal: FixProposal = {
    safety: fix.safety,
    patch: fix.patch.map((op) => ({ ...op, path: at + canonical(op.path) })),
  }
  // Only safe fixes are applied without review (/mutate, plain --fix): those are checked here.
  if (root === undefined || proposal.safety !== 'safe') return proposal
  // The fixed copy shares all it does not change with root: only the changed parts are checked again.
  const had = problemsOf(root)
  const invalid = apiServerProblemsChangedFrom(applyOperations(root, proposal.patch, false), root).filter(
    (p) => !had.has(p),
  )
  return invalid.length === 0 ? proposal : { ...proposal, safety: 'unsafe', invalid }
}

/**
 * A pointer as formatPointer(parsePointer(p)) writes it (which throws on a malformed one).
 * Without a `~` it is already that: its tokens need no escaping. Every fix of every finding passes here.
 */
function canonical(pointer: string): string {
  if (pointer === '' || (pointer.startsWith('/') && !pointer.includes('~'))) return pointer
  return formatPointer(parsePointer(pointer))
}

/** The API-validation problems `after` has that `before` did not (an object the API server already rejects is not the fix's fault). */
export function problemsAdded(before: KubeObject, after: KubeObject): string[] {
  const had = problemsOf(before)
  return apiServerProblems(after).filter((p) => !had.has(p))
}

/** A resource's own problems, once per object: every fix of it is compared against them. */
function problemsOf(object: KubeObject): ReadonlySet<string> {
  let problems = known.get(object)
  if (problems === undefined) {
    problems = new Set(apiServerProblems(object))
    known.set(object, problems)
  }
  return problems
}

const known = new WeakMap<KubeObject, ReadonlySet<string>>()

/**
 * Apply fixes one after another to a copy of `object`, keeping each only when the object
 * stays as valid for the API server as it was (fixes that are fine alone can clash, e.g. two
 * that touch the same securityContext). Returns the operations kept, in order, the
 * resulting object, and the fixes left out with the problems they would have caused. Pure.
 */
export function combineFixes<T extends { fix: FixProposal }>(
  object: KubeObject,
  items: readonly T[],
): { operations: PatchOperation[]; result: KubeObject; skipped: { item: T; problems: string[] }[] } {
  const operations: PatchOperation[] = []
  const skipped: { item: T; problems: string[] }[] = []
  let current = object
  let problems = new Set(apiServerProblems(object))
  for (const item of items) {
    if (item.fix.invalid) {
      skipped.push({ item, problems: item.fix.invalid })
      continue
    }
    const next = applyFixOperations(current, item.fix.patch)
    const nextProblems = apiServerProblems(next)
    const added = nextProblems.filter((p) => !problems.has(p))
    if (added.length > 0) {
      skipped.push({ item, problems: added })
      continue
    }
    operations.push(...item.fix.patch)
    current = next
    problems = new Set(nextProblems)
  }
  return { operations, result: current, skipped }
}

/**
 * Apply fix operations to a copy of `object` with Palisade's semantics: `add` creates
 * missing parents, `replace` and `remove` of a missing path do nothing. Pure: only the
 * objects and arrays on each operation's path are copied (the webhook does this per request),
 * the rest is shared with `object` and must not be modified by the caller.
 */
export function applyFixOperations(object: KubeObject, operations: readonly PatchOperation[]): KubeObject {
  return applyOperations(object, operations, true)
}

/**
 * applyFixOperations; without `cloneValues` the values are shared with the operations, for a
 * copy that is only read and then dropped (checking a fix: structuredClone per finding was
 * most of the cost of that check).
 */
function applyOperations(object: KubeObject, operations: readonly PatchOperation[], cloneValues: boolean): KubeObject {
  const value = (op: PatchOperation): unknown => (cloneValues ? structuredClone(op.value) : op.value)
  const doc: KubeObject = { ...object }
  const copied = new WeakSet<object>([doc])
  const own = <T extends object>(value: T): T => {
    if (copied.has(value)) return value
    const copy = (Array.isArray(value) ? [...value] : { ...value }) as T
    copied.add(copy)
    return copy
  }
  for (const op of operations) {
    const tokens = parsePointer(op.path)
    if (tokens.length === 0) continue
    let parent: unknown = doc
    for (const [i, token] of tokens.slice(0, -1).entries()) {
      const existing = childOf(parent, token)
      let next: unknown
      if (existing === undefined) {
        if (op.op !== 'add' || !isRecord(parent)) {
          parent = undefined
          break
        }
        // A missing parent of an append (`/-`) is a list, as the YAML patcher makes it; any other a mapping.
        next = tokens[i + 1] === '-' ? [] : {}
        copied.add(next as object)
      } else next = typeof existing === 'object' && existing !== null ? own(existing) : existing
      if (Array.isArray(parent)) parent[Number(token)] = next
      else if (isRecord(parent)) parent[token] = next
      parent = next
    }
    const last = tokens[tokens.length - 1] as string
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last)
      if (!Number.isInteger(index) || index < 0 || index > parent.length) continue
      if (op.op === 'add') parent.splice(index, 0, value(op))
      else if (index < parent.length) {
        if (op.op === 'replace') parent[index] = value(op)
        else parent.splice(index, 1)
      }
    } else if (isRecord(parent)) {
      if (op.op === 'add' || (op.op === 'replace' && Object.hasOwn(parent, last))) parent[last] = value(op)
      else if (op.op === 'remove') delete parent[last]
    }
  }
  return doc
}

function childOf(container: unknown, token: string): unknown {
  if (Array.isArray(container)) return /^(0|[1-9]\d*)$/.test(token) ? container[Number(token)] : undefined
  return isRecord(container) && Object.hasOwn(container, token) ? container[token] : undefined
}
