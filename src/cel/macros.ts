import type { ASTNode } from '@marcbachmann/cel-js'
import { CelCostError, CelEvalError, evalError, type Site } from './errors.js'
import { fusedOrValue } from './compile-optional-chain.js'
import {
  compileError,
  constant,
  dynEv,
  overLimit,
  siteOf,
  UNSET,
  type Compiled,
  type Ctx,
  type Ev,
  type Frame,
  type Local,
} from './frame.js'
import { mapGet, mapKeys } from './maps.js'
import { isMap, noOverload, typeOf } from './runtime-types.js'
import { CelOptional } from './values.js'

/**
 * Comprehension macros (all, exists, exists_one, map, filter and the two-variable
 * forms), cel.bind, and the lazily evaluated optional helpers. Every iteration counts
 * against the evaluation's cost limit.
 */

function varName(node: ASTNode | undefined, macro: string): string {
  if (node?.op !== 'id') throw compileError(`${macro}() variable must be a simple name`, node ?? { start: 0, end: 0 })
  return node.args
}

/** Declare a local in a fresh slot; `init` makes it a lazily evaluated cel.bind variable. */
function declare(ctx: Ctx, name: string, type: string, json: boolean, init?: Ev): Local {
  const local = { name, slot: ctx.slotCount++, type, next: ctx.locals, json, ...(init ? { init } : {}) }
  ctx.locals = local
  return local
}

function requirePredicate(c: Compiled, macro: string, node: ASTNode): void {
  if (c.type !== 'bool' && c.type !== 'dyn')
    throw compileError(`${macro}() predicate must be a bool, got ${c.type}`, node)
}

/** The elements of a list, or the keys of a map, with the paired values for two-variable forms. */
function iteration(
  v: unknown,
  site: Site,
): { keys: readonly unknown[]; values: readonly unknown[] | ((k: unknown) => unknown) } {
  if (Array.isArray(v)) return { keys: v, values: v }
  if (isMap(v)) return { keys: mapKeys(v), values: (k) => mapGet(v, k) }
  throw evalError(`cannot iterate over a value of type '${typeOf(v)}'`).locate(site.start, site.end)
}

function absorbable(error: unknown): boolean {
  return error instanceof CelEvalError && !(error instanceof CelCostError)
}

/** The literal K when `pred` is `v == K` or `K == v` with K a string, bool or null literal. */
function memberTest(pred: ASTNode, name: string): string | boolean | null | undefined {
  if (pred.op !== '==') return undefined
  const [a, b] = pred.args as [ASTNode, ASTNode]
  const lit = a.op === 'id' && a.args === name ? b : b.op === 'id' && b.args === name ? a : undefined
  if (lit?.op !== 'value') return undefined
  const v: unknown = lit.args
  return typeof v === 'string' || typeof v === 'boolean' || v === null ? v : undefined
}

type Kind = 'all' | 'exists' | 'exists_one' | 'map' | 'filter' | 'transformList'

/**
 * Compile a comprehension. `vars` holds one name (element, or map key) or two
 * (index and element, or key and value); `exprs` the predicate or [filter?, transform].
 */
export function compileComprehension(
  kind: Kind,
  target: ASTNode,
  vars: readonly ASTNode[],
  exprs: readonly ASTNode[],
  node: ASTNode,
  ctx: Ctx,
): Compiled {
  const range = ctx.compile(target)
  if (!['dyn', 'list', 'map'].includes(range.type))
    throw compileError(`${kind}() cannot iterate over ${range.type}`, target)
  const saved = ctx.locals
  const names = vars.map((v) => varName(v, kind))
  // Elements and keys of activation data are activation data; a list index is an int.
  const json = range.json === true || range.items === true
  const first = declare(ctx, names[0] as string, 'dyn', json)
  const second = names.length > 1 ? declare(ctx, names[1] as string, 'dyn', json) : undefined
  const compiled = ctx.compile(exprs[0] as ASTNode)
  const transform = exprs.length > 1 ? ctx.compile(exprs[1] as ASTNode) : undefined
  ctx.locals = saved
  if (range.constant && Array.isArray(range.value) && range.value.length === 0) {
    // Nothing to iterate (`[].exists(...)`, or a variable known empty): the result is known now.
    if (kind !== 'map' && kind !== 'transformList') requirePredicate(compiled, kind, exprs[0] as ASTNode)
    else if (transform !== undefined) requirePredicate(compiled, kind, exprs[0] as ASTNode)
    if (kind === 'all') return constant(true, 'bool')
    if (kind === 'exists' || kind === 'exists_one') return constant(false, 'bool')
    return { ...constant([], 'list'), json: true }
  }
  const R = range.ev
  const site = siteOf(node)
  const s1 = first.slot
  const s2 = second?.slot
  const two = second !== undefined
  const bindAt = (f: Frame, it: ReturnType<typeof iteration>, i: number): void => {
    if (++f.steps > f.limit) overLimit(f)
    const k = it.keys[i]
    if (two) {
      f.slots[s1] = Array.isArray(it.values) ? i : k
      f.slots[s2 as number] = typeof it.values === 'function' ? it.values(k) : it.values[i]
    } else f.slots[s1] = k
  }
  const member = kind === 'exists' && !two ? memberTest(exprs[0] as ASTNode, names[0] as string) : undefined
  if (member !== undefined) {
    // `list.exists(x, x == 'K')`: equality with a string, bool or null literal never fails,
    // so this is a plain membership test.
    const k = member
    return {
      ev: (f) => {
        const r = R(f)
        const items = Array.isArray(r) ? r : iteration(r, site).keys
        if ((f.steps += items.length) > f.limit) overLimit(f)
        for (let i = 0; i < items.length; i++) if (items[i] === k || (k === null && items[i] === undefined)) return true
        return false
      },
      type: 'bool',
      constant: false,
    }
  }
  if (kind === 'all' || kind === 'exists') {
    requirePredicate(compiled, kind, exprs[0] as ASTNode)
    const P = compiled.ev
    const decisive = kind === 'exists'
    const ev: Ev = (f) => {
      const r = R(f)
      const list = !two && Array.isArray(r) ? r : undefined
      const it = list === undefined ? iteration(r, site) : undefined
      const n = list !== undefined ? list.length : (it as ReturnType<typeof iteration>).keys.length
      let failure: unknown
      for (let i = 0; i < n; i++) {
        // The common case, one variable over a list, binds the element directly.
        if (list !== undefined) {
          if (++f.steps > f.limit) overLimit(f)
          f.slots[s1] = list[i]
        } else bindAt(f, it as ReturnType<typeof iteration>, i)
        let x: unknown
        try {
          x = P(f)
        } catch (error) {
          if (!absorbable(error)) throw error
          failure ??= error
          continue
        }
        if (x === decisive) return decisive
        if (x !== !decisive) failure ??= noOverload(kind, [x]).locate(site.start, site.end)
      }
      if (failure !== undefined) throw failure
      return !decisive
    }
    return { ev, type: 'bool', constant: false }
  }
  if (kind === 'exists_one') {
    requirePredicate(compiled, kind, exprs[0] as ASTNode)
    const P = compiled.ev
    const ev: Ev = (f) => {
      const it = iteration(R(f), site)
      let count = 0
      for (let i = 0; i < it.keys.length; i++) {
        bindAt(f, it, i)
        const r = P(f)
        if (r === true) count++
        else if (r !== false) throw noOverload(kind, [r]).locate(site.start, site.end)
      }
      return count === 1
    }
    return { ev, type: 'bool', constant: false }
  }
  // map / filter / transformList: optional filter, then a transform.
  const filter = kind === 'filter' || transform !== undefined ? compiled : undefined
  if (filter) requirePredicate(filter, kind, exprs[0] as ASTNode)
  const F = filter?.ev
  const T = kind === 'filter' ? undefined : dynEv(transform ?? compiled)
  const ev: Ev = (f) => {
    const r = R(f)
    if (!two && Array.isArray(r)) return overList(f, r)
    const it = iteration(r, site)
    const out: unknown[] = []
    for (let i = 0; i < it.keys.length; i++) {
      bindAt(f, it, i)
      if (F !== undefined) {
        const keep = F(f)
        if (keep === false) continue
        if (keep !== true) throw noOverload(kind, [keep]).locate(site.start, site.end)
      }
      out.push(T === undefined ? f.slots[s1] : T(f))
    }
    return out
  }
  // The common case, one variable over a list: the element is bound directly, no iteration record.
  const overList = (f: Frame, list: readonly unknown[]): unknown[] => {
    const out: unknown[] = []
    for (let i = 0; i < list.length; i++) {
      if (++f.steps > f.limit) overLimit(f)
      const x = list[i]
      f.slots[s1] = x
      if (F !== undefined) {
        const keep = F(f)
        if (keep === false) continue
        if (keep !== true) throw noOverload(kind, [keep]).locate(site.start, site.end)
      }
      out.push(T === undefined ? x : T(f))
    }
    return out
  }
  // filter() keeps elements of the range; map() collects what the transform gives.
  const data =
    kind === 'filter' ? json : transform?.json === true || (transform === undefined && compiled.json === true)
  return { ev, type: 'list', constant: false, json: data }
}

/** Compile `cel.bind(name, init, body)`: `init` runs at most once, on first use. */
export function compileBind(args: readonly ASTNode[], ctx: Ctx): Compiled {
  const name = varName(args[0], 'cel.bind')
  const init = ctx.compile(args[1] as ASTNode)
  const saved = ctx.locals
  const local = declare(ctx, name, init.type, init.json === true, init.ev)
  const body = ctx.compile(args[2] as ASTNode)
  ctx.locals = saved
  const slot = local.slot
  const B = body.ev
  if (init.constant) {
    const value = init.value
    return { ev: (f) => ((f.slots[slot] = value), B(f)), type: body.type, constant: false }
  }
  return {
    ev: (f) => {
      f.slots[slot] = UNSET
      return B(f)
    },
    type: body.type,
    constant: false,
  }
}

function requireOptional(v: unknown, fn: string, site: Site): CelOptional {
  if (v instanceof CelOptional) return v
  throw noOverload(fn, [v]).locate(site.start, site.end)
}

/** Compile `opt.optMap(x, expr)` and `opt.optFlatMap(x, expr)`. */
export function compileOptMap(
  flat: boolean,
  target: ASTNode,
  args: readonly ASTNode[],
  node: ASTNode,
  ctx: Ctx,
): Compiled {
  const fn = flat ? 'optFlatMap' : 'optMap'
  const opt = ctx.compile(target)
  const saved = ctx.locals
  const local = declare(ctx, varName(args[0], fn), 'dyn', false)
  const body = ctx.compile(args[1] as ASTNode)
  ctx.locals = saved
  const O = opt.ev
  const B = dynEv(body)
  const site = siteOf(node)
  const slot = local.slot
  const ev: Ev = (f) => {
    const o = requireOptional(O(f), fn, site)
    if (!o.present) return o
    f.slots[slot] = o.value
    const r = B(f)
    return flat ? requireOptional(r, fn, site) : CelOptional.of(r)
  }
  return { ev, type: 'optional_type', constant: false }
}

/** Compile `opt.or(other)` and `opt.orValue(value)`: the argument is evaluated only when needed. */
export function compileOr(valueForm: boolean, target: ASTNode, arg: ASTNode, node: ASTNode, ctx: Ctx): Compiled {
  const fn = valueForm ? 'orValue' : 'or'
  const opt = ctx.compile(target)
  const alt = ctx.compile(arg)
  if (opt.type !== 'optional_type' && opt.type !== 'dyn')
    throw compileError(`found no matching overload for '${fn}' applied to (${opt.type})`, node)
  if (valueForm) {
    const fused = fusedOrValue(target, alt, ctx)
    if (fused !== undefined) return fused
  }
  const O = opt.ev
  const A = dynEv(alt)
  const site = siteOf(node)
  // As cel-go's evaluator (evalOptionalOr / evalOptionalOrValue): a receiver that is not an
  // optional at run time (a dyn list or map) is returned as it is, and its argument is not evaluated.
  const ev: Ev = valueForm
    ? (f) => {
        const o = O(f)
        if (!(o instanceof CelOptional)) return o
        return o.present ? o.value : A(f)
      }
    : (f) => {
        const o = O(f)
        if (!(o instanceof CelOptional)) return o
        return o.present ? o : requireOptional(A(f), fn, site)
      }
  return { ev, type: valueForm ? 'dyn' : 'optional_type', constant: false }
}
