import type { ASTNode } from '@marcbachmann/cel-js'
import { CelCostError, CelEvalError, type Site } from './errors.js'
import { compileError, constant, dynEv, foldIf, siteOf, type Compiled, type Ctx, type Ev } from './frame.js'
import { noOverload } from './runtime-types.js'

/**
 * Logical operators with CEL's commutative absorption: `false && <error>` is false and
 * `<error> || true` is true, whichever side the error is on. Cost-limit errors are never absorbed.
 */

function absorbable(error: unknown): boolean {
  return error instanceof CelEvalError && !(error instanceof CelCostError)
}

function requireBool(c: Compiled, op: string, node: ASTNode): void {
  if (c.type !== 'bool' && c.type !== 'dyn')
    throw compileError(`no matching overload for '${op}' applied to (${c.type})`, node)
}

/**
 * Compile `a && b && ...` (absorbing = false) or `a || b || ...` (absorbing = true). Chains
 * of the same operator are flattened into one closure over all operands.
 */
export function compileLogical(absorbing: boolean, node: ASTNode & { args: [ASTNode, ASTNode] }, ctx: Ctx): Compiled {
  const op = absorbing ? '_||_' : '_&&_'
  const operandNodes: ASTNode[] = []
  const collect = (n: ASTNode): void => {
    if (n.op === node.op) {
      collect((n.args as [ASTNode, ASTNode])[0])
      collect((n.args as [ASTNode, ASTNode])[1])
    } else operandNodes.push(n)
  }
  collect(node)
  const operands = operandNodes.map((n) => {
    const c = ctx.compile(n)
    requireBool(c, op, n)
    return c
  })
  if (operands.some((c) => c.constant && c.value === absorbing)) return constant(absorbing, 'bool')
  // Constant non-absorbing operands decide nothing.
  const live = operands.filter((c) => !(c.constant && c.value === !absorbing))
  if (live.length === 0) return constant(!absorbing, 'bool')
  if (live.length === 1 && live[0]?.type === 'bool') return live[0]
  const site = siteOf(node)
  const evs = live.map((c) => c.ev)
  const n = evs.length
  const ev: Ev = (f) => {
    let failure: unknown
    for (let i = 0; i < n; i++) {
      let v: unknown
      try {
        v = (evs[i] as Ev)(f)
      } catch (error) {
        if (!absorbable(error)) throw error
        failure ??= error
        continue
      }
      if (v === absorbing) return absorbing
      if (v !== !absorbing) failure ??= noOverload(op, [v]).locate(site.start, site.end)
    }
    if (failure !== undefined) throw failure
    return !absorbing
  }
  return foldIf(
    live.every((c) => c.constant),
    { ev, type: 'bool', constant: false },
  )
}

/** Compile `!a`. */
export function compileNot(node: ASTNode & { args: ASTNode }, ctx: Ctx): Compiled {
  const c = ctx.compile(node.args)
  requireBool(c, '!_', node)
  const A = c.ev
  const site: Site = siteOf(node)
  const ev: Ev =
    c.type === 'bool'
      ? (f) => !A(f)
      : (f) => {
          const v = A(f)
          if (typeof v === 'boolean') return !v
          throw noOverload('!_', [v]).locate(site.start, site.end)
        }
  return foldIf(c.constant, { ev, type: 'bool', constant: false })
}

/** Compile `c ? a : b`. */
export function compileConditional(node: ASTNode & { args: [ASTNode, ASTNode, ASTNode] }, ctx: Ctx): Compiled {
  const c = ctx.compile(node.args[0])
  requireBool(c, '_?_:_', node.args[0])
  const a = ctx.compile(node.args[1])
  const b = ctx.compile(node.args[2])
  if (c.constant && typeof c.value === 'boolean') return c.value ? a : b
  const type = a.type === b.type ? a.type : 'dyn'
  const A = type === 'dyn' ? dynEv(a) : a.ev
  const B = type === 'dyn' ? dynEv(b) : b.ev
  const C = c.ev
  const site = siteOf(node)
  const ev: Ev = (f) => {
    const v = C(f)
    if (v === true) return A(f)
    if (v === false) return B(f)
    throw noOverload('_?_:_', [v]).locate(site.start, site.end)
  }
  return foldIf(c.constant && a.constant && b.constant, {
    ev,
    type,
    constant: false,
    json: a.json === true && b.json === true,
  })
}
