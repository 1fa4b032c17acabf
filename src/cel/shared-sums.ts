import type { ASTNode } from '@marcbachmann/cel-js'
import { UNSET, type Compiled, type Ctx, type Ev } from './frame.js'

/**
 * A sum of inlined composition variables (`variables.containers + variables.initContainers +
 * variables.ephemeralContainers`, which most Gatekeeper templates write in two or three
 * variables) is computed once per program run and shared by every place that writes it.
 * Inlined variables are themselves computed at most once per run, so the sum of the same
 * ones in the same order has one value per run, wherever it is written (in the expression or
 * in a variable inlined into it, inside a comprehension or not). Each place keeps its own
 * closure: the first to run computes the sum (and reports its own error, as before); the
 * others read the slot, which is reset when the program starts.
 */
export function sharedSum(node: ASTNode, ctx: Ctx, compile: () => Compiled): Compiled {
  const names = ctx.inline === undefined || ctx.isLocal(VARIABLES) ? undefined : summands(node, ctx, [])
  const c = compile()
  if (names === undefined || c.constant) return c
  const key = `\u0000sum ${names.join('+')}`
  let slot = ctx.memo.slots.get(key)
  if (slot === undefined) ctx.memo.slots.set(key, (slot = ctx.slotCount++))
  const s = slot
  const compute = c.ev
  const ev: Ev = (f) => {
    const x = f.slots[s]
    if (x !== UNSET) return x
    return (f.slots[s] = compute(f))
  }
  return { ...c, ev }
}

const VARIABLES = 'variables'

/** The names of `variables.a + variables.b + ...` when every one is an inlined variable readable here, else undefined. */
function summands(node: ASTNode, ctx: Ctx, out: string[]): string[] | undefined {
  if (node.op === '+') {
    const [left, right] = node.args as [ASTNode, ASTNode]
    return summands(left, ctx, out) && summands(right, ctx, out)
  }
  if (node.op !== '.') return undefined
  const [target, name] = node.args as [ASTNode, unknown]
  if (target.op !== 'id' || target.args !== VARIABLES || typeof name !== 'string') return undefined
  const v = ctx.inline?.variables.get(name)
  if (v === undefined || !ctx.inline?.visible.has(name) || !('ast' in v)) return undefined
  out.push(name)
  return out
}
