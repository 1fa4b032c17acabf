import { isRecord, type KubeObject } from '../../../core/index.js'
import { parseManifests } from '../../../yaml/index.js'
import { extend, loadContext, preconditionsHold, resolver, type RuleContext } from '../context.js'
import { CompatError, unsupported } from '../../shared/errors.js'
import { substituteAll, substituteString } from '../substitute.js'
import type { RuleStatus } from '../../shared/rule-response.js'
import { applyJsonPatch, type JsonPatchOp } from './json-patch.js'
import { AnchorSkip, resolveAnchors, strategicMerge } from './strategic-merge.js'

/** Result of a mutate rule. */
export interface MutateResult {
  status: RuleStatus
  message: string
  patched: KubeObject
}

type Raw = Record<string, unknown>

function withObject(ctx: RuleContext, object: KubeObject): RuleContext {
  const request = isRecord(ctx.data.request) ? ctx.data.request : {}
  return extend(ctx, { request: { ...request, object } })
}

function parseOps(text: string): JsonPatchOp[] {
  const parsed = parseManifests(text, '<patchesJson6902>')
  if (parsed.diagnostics.length > 0)
    throw new CompatError(
      'POLICY_INVALID',
      `patchesJson6902 is not valid YAML: ${parsed.diagnostics[0]?.message ?? ''}`,
    )
  const ops = parsed.documents[0]?.object
  if (!Array.isArray(ops)) throw new CompatError('POLICY_INVALID', 'patchesJson6902 must be a list of operations')
  return ops.map((op) => {
    if (!isRecord(op) || typeof op.op !== 'string' || typeof op.path !== 'string')
      throw new CompatError('POLICY_INVALID', 'a JSON patch operation needs op and path')
    return op as unknown as JsonPatchOp
  })
}

/** Apply one patch block (patchStrategicMerge or patchesJson6902) to a resource; undefined = skipped by anchors. */
function applyPatches(block: Raw, resource: KubeObject, ctx: RuleContext): KubeObject | undefined {
  const resolve = resolver(ctx)
  let current = resource
  if (block.patchStrategicMerge !== undefined) {
    const patch = substituteAll(block.patchStrategicMerge, resolve)
    let resolved: unknown
    try {
      resolved = resolveAnchors(patch, current)
    } catch (error) {
      if (error instanceof AnchorSkip) return undefined
      throw error
    }
    current = strategicMerge(current, resolved) as KubeObject
  }
  if (typeof block.patchesJson6902 === 'string' && block.patchesJson6902.trim() !== '') {
    const text = String(substituteString(block.patchesJson6902, resolve))
    current = applyJsonPatch(current, parseOps(text))
  }
  return current
}

function evaluateList(list: unknown, ctx: RuleContext): unknown[] {
  const expression = String(substituteString(String(list ?? ''), resolver(ctx)))
  const value = ctx.jp.search(expression, ctx.data)
  return Array.isArray(value) ? value : [value]
}

function foreach(
  entries: unknown,
  resource: KubeObject,
  ctx: RuleContext,
  provided: ReadonlySet<string>,
  nesting: number,
): { patched: KubeObject; applied: number } {
  if (!Array.isArray(entries)) throw new CompatError('POLICY_INVALID', 'mutate.foreach must be a list')
  let current = resource
  let applied = 0
  for (const fe of entries) {
    if (!isRecord(fe)) throw new CompatError('POLICY_INVALID', 'a foreach entry must be a map')
    const elements = evaluateList(fe.list, withObject(ctx, current))
    const indexed = elements.map((element, index) => ({ element, index }))
    const descending = fe.order === undefined ? fe.patchStrategicMerge !== undefined : fe.order === 'Descending'
    if (descending) indexed.reverse()
    for (const { element, index } of indexed) {
      if (element === null || element === undefined) continue
      let ectx = extend(withObject(ctx, current), {
        element,
        elementIndex: index,
        [`element${nesting}`]: element,
        [`elementIndex${nesting}`]: index,
      })
      ectx = loadContext(fe.context, ectx, provided)
      if (!preconditionsHold(fe.preconditions, ectx).holds) continue
      if (fe.foreach !== undefined) {
        const inner = foreach(fe.foreach, current, ectx, provided, nesting + 1)
        current = inner.patched
        applied += inner.applied
        continue
      }
      const next = applyPatches(fe, current, ectx)
      if (next === undefined) continue
      current = next
      applied++
    }
  }
  return { patched: current, applied }
}

/**
 * A Kyverno mutate rule on one resource: context, preconditions, then
 * patchStrategicMerge (with anchors), patchesJson6902, or foreach (each element patches
 * the result of the one before). A rule whose anchors or preconditions do not hold is
 * skipped; mutating other (existing) resources is unsupported.
 */
export function runMutate(
  rule: Raw,
  resource: KubeObject,
  base: RuleContext,
  provided: ReadonlySet<string>,
): MutateResult {
  const mutate = isRecord(rule.mutate) ? rule.mutate : {}
  if (mutate.targets !== undefined) throw unsupported('mutate.targets', 'mutating existing resources')
  const ctx = loadContext(rule.context, base, provided)
  const pre = preconditionsHold(rule.preconditions, ctx)
  if (!pre.holds) return { status: 'skip', message: 'preconditions not met', patched: resource }
  if (mutate.foreach !== undefined) {
    const r = foreach(mutate.foreach, resource, ctx, provided, 0)
    if (r.applied === 0 || JSON.stringify(r.patched) === JSON.stringify(resource))
      return { status: 'skip', message: 'no foreach element was mutated', patched: resource }
    return { status: 'pass', message: 'mutated', patched: r.patched }
  }
  if (mutate.patchStrategicMerge === undefined && mutate.patchesJson6902 === undefined)
    throw new CompatError('POLICY_INVALID', 'mutate has none of patchStrategicMerge, patchesJson6902, foreach')
  const patched = applyPatches(mutate, resource, ctx)
  if (patched === undefined) return { status: 'skip', message: 'anchors not satisfied', patched: resource }
  if (JSON.stringify(patched) === JSON.stringify(resource))
    return { status: 'skip', message: 'no change', patched: resource }
  return { status: 'pass', message: 'mutated', patched }
}
