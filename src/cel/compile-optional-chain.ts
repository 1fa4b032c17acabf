import type { ASTNode } from '@marcbachmann/cel-js'
import { unescapeProperty } from './compile-access.js'
import { dynEv, type Compiled, type Ctx, type Ev } from './frame.js'
import { INHERITED_NAMES } from './maps.js'
import { isPlainObject } from './runtime-types.js'
import type { CelOptional } from './values.js'

/**
 * Fused optional chains: `a.?b.?c.orValue(d)` and `a.?b.c.hasValue()` walk the path in
 * one closure without allocating optionals. Anything but plain objects on the way falls
 * back to the general optional semantics, so results are the same.
 */

/** Returned by a fused walk when the chain is absent. */
const ABSENT: unique symbol = Symbol('absent')

type SelectNode = ASTNode & { op: '.' | '.?'; args: [ASTNode, string] }

/** A walk yielding the chain's value or ABSENT, or undefined when `target` is not such a chain. */
function fusedWalk(target: ASTNode, ctx: Ctx): Ev | undefined {
  const nodes: SelectNode[] = []
  let cur: ASTNode = target
  while (
    (cur.op === '.' || cur.op === '.?') &&
    !INHERITED_NAMES.has(cur.args[1]) &&
    unescapeProperty(cur.args[1]) === undefined
  ) {
    nodes.unshift(cur as SelectNode)
    cur = (cur as SelectNode).args[0]
  }
  const first = nodes.findIndex((n) => n.op === '.?')
  if (first < 0) return undefined
  const operand = ctx.compile((nodes[first] as SelectNode).args[0])
  if (operand.type !== 'dyn' && operand.type !== 'map') return undefined
  const general = ctx.compile(target).ev
  const keys = nodes.slice(first).map((n) => n.args[1])
  const n = keys.length
  const O = operand.ev
  const json = operand.json === true
  return (f) => {
    let o = O(f)
    for (let i = 0; i < n; i++) {
      if (typeof o === 'object' && o !== null && (json ? !Array.isArray(o) : isPlainObject(o))) {
        const v = (o as Record<string, unknown>)[keys[i] as string]
        if (v === undefined || v === null) return ABSENT
        o = v
      } else {
        const r = general(f) as CelOptional
        return r.present ? r.value : ABSENT
      }
    }
    return o
  }
}

/** `chain.orValue(alt)` fused, or undefined when the target is not a plain optional chain. */
export function fusedOrValue(target: ASTNode, alt: Compiled, ctx: Ctx): Compiled | undefined {
  const walk = fusedWalk(target, ctx)
  if (walk === undefined) return undefined
  const A = dynEv(alt)
  return {
    ev: (f) => {
      const v = walk(f)
      return v === ABSENT ? A(f) : v
    },
    type: 'dyn',
    constant: false,
  }
}

/** `chain.hasValue()` fused, or undefined when the target is not a plain optional chain. */
export function fusedHasValue(target: ASTNode, ctx: Ctx): Compiled | undefined {
  const walk = fusedWalk(target, ctx)
  if (walk === undefined) return undefined
  return { ev: (f) => walk(f) !== ABSENT, type: 'bool', constant: false }
}
