import type { ASTNode } from '@marcbachmann/cel-js'
import { CelEvalError, relocate, type Site } from './errors.js'
import { charge, compileError, foldIf, siteOf, type Compiled, type Ctx, type Ev, type Frame } from './frame.js'
import { FUNCTIONS } from './lib/registry.js'
import { accepts, type Impl, type MergedDecl, type Overload } from './overloads.js'
import { boxDouble, hasType, noOverload, unboxDouble } from './runtime-types.js'

/** Function and method calls: overloads picked at compile time when argument types allow. */

/**
 * Compile a call of `name` (qualified for namespaced functions, e.g. 'optional.of').
 * `member` is true for receiver-style calls, whose receiver is args[0].
 */
export function compileCall(
  name: string,
  member: boolean,
  argNodes: readonly ASTNode[],
  node: ASTNode,
  ctx: Ctx,
): Compiled {
  const decl = lookup(name, ctx)
  const overloads = decl === undefined ? [] : member ? decl.member : decl.global
  if (overloads.length === 0) {
    throw compileError(
      decl === undefined || member ? `undeclared reference to '${name}'` : `'${name}' is not a global function`,
      node,
    )
  }
  const args = argNodes.map((a) => ctx.compile(a))
  const types = args.map((a) => a.type)
  const candidates = overloads.filter(
    (o) => o.params.length === args.length && o.params.every((p, i) => accepts(p, types[i] as string)),
  )
  if (candidates.length === 0) {
    throw compileError(`found no matching overload for '${name}' applied to (${types.join(', ')})`, node)
  }
  const first = candidates[0] as Overload
  const type = candidates.every((c) => c.result === first.result) ? first.result : 'dyn'
  const site = siteOf(node)
  const fast = member ? stringPredicate(name, args, site) : undefined
  if (fast !== undefined)
    return foldIf(
      args.every((a) => a.constant),
      { ev: fast, type: 'bool', constant: false },
    )
  const allConstant = args.every((a) => a.constant)
  const dynamic = decl?.dynamic
  let ev: Ev
  if (candidates.length === 1) ev = single(name, first, args, site)
  else if (dynamic !== undefined && args.length === 1 && type !== 'double') {
    const A =
      args[0]?.type === 'double'
        ? (f: Frame) => boxDouble((args[0] as Compiled).ev(f) as number)
        : (args[0] as Compiled).ev
    ev = (f) => {
      const a = A(f)
      try {
        return dynamic(a)
      } catch (error) {
        throw relocate(error, site)
      }
    }
  } else ev = dispatch(name, candidates, args, site, type)
  return foldIf(allConstant, { ev, type, constant: false })
}

/** A function's declaration: the built-in libraries' overloads, then the caller's (CelCompileOptions.functions). */
function lookup(name: string, ctx: Ctx): MergedDecl | undefined {
  const builtin = FUNCTIONS.get(name)
  const extra = ctx.functions?.get(name)
  if (extra === undefined) return builtin
  if (builtin === undefined) return extra
  return {
    global: [...builtin.global, ...extra.global],
    member: [...builtin.member, ...extra.member],
    ...(builtin.dynamic === undefined ? {} : { dynamic: builtin.dynamic }),
  }
}

/**
 * `s.startsWith(t)`, `s.endsWith(t)`, `s.contains(t)`: the most common string tests in
 * policies get closures that call the string method directly.
 */
function stringPredicate(name: string, args: readonly Compiled[], site: Site): Ev | undefined {
  if (name !== 'startsWith' && name !== 'endsWith' && name !== 'contains') return undefined
  const [recv, arg] = args
  if (recv === undefined || arg === undefined || args.length !== 2 || arg.type !== 'string') return undefined
  if (recv.type !== 'string' && recv.type !== 'dyn') return undefined
  const R = recv.ev
  const T = arg.ev
  const fail = (a: unknown, b: unknown): Error => noOverload(name, [a, b]).locate(site.start, site.end)
  if (name === 'startsWith') {
    return (f) => {
      const a = R(f)
      const b = T(f) as string
      if (typeof a !== 'string') throw fail(a, b)
      return a.startsWith(b)
    }
  }
  if (name === 'endsWith') {
    return (f) => {
      const a = R(f)
      const b = T(f) as string
      if (typeof a !== 'string') throw fail(a, b)
      return a.endsWith(b)
    }
  }
  return (f) => {
    const a = R(f)
    const b = T(f) as string
    if (typeof a !== 'string') throw fail(a, b)
    return a.includes(b)
  }
}

/** How to pass an argument to a parameter: check and unbox dyn values, box static doubles. */
function argEv(param: string, arg: Compiled, fn: string, site: Site): { ev: Ev; check: boolean } {
  const ev = arg.ev
  if (param === 'dyn' && arg.type === 'double') return { ev: (f) => boxDouble(ev(f) as number), check: false }
  if (arg.type !== 'dyn' || param === 'dyn') return { ev, check: false }
  if (param === 'double') {
    return {
      ev: (f) => {
        const v = ev(f)
        if (!hasType(v, 'double')) throw noOverload(fn, [v]).locate(site.start, site.end)
        return unboxDouble(v)
      },
      check: false,
    }
  }
  return { ev, check: true }
}

function single(name: string, o: Overload, args: readonly Compiled[], site: Site): Ev {
  let impl: Impl = o.impl
  if (o.specialize && args.some((a) => a.constant)) {
    try {
      impl = o.specialize(args.map((a) => (a.constant ? { value: a.value } : undefined))) ?? impl
    } catch (error) {
      if (error instanceof CelEvalError) throw compileError(error.reason, site)
      throw error
    }
  }
  const passes = args.map((a, i) => argEv(o.params[i] as string, a, name, site))
  const checks = passes.map((p, i) => (p.check ? (o.params[i] as string) : undefined))
  const sized = o.sized === true
  const call = (f: Frame, values: unknown[]): unknown => {
    for (let i = 0; i < checks.length; i++) {
      const t = checks[i]
      if (t !== undefined && !hasType(values[i], t)) throw noOverload(name, values).locate(site.start, site.end)
    }
    let r: unknown
    try {
      r = impl(...values)
    } catch (error) {
      throw relocate(error, site)
    }
    if (sized) chargeSize(f, r)
    return r
  }
  const evs = passes.map((p) => p.ev)
  const needsCheck = checks.some((c) => c !== undefined)
  // Unrolled fast paths for the common arities without runtime type checks.
  if (!needsCheck && !sized) {
    if (evs.length === 1) {
      const A = evs[0] as Ev
      return (f) => {
        const a = A(f)
        try {
          return impl(a)
        } catch (error) {
          throw relocate(error, site)
        }
      }
    }
    if (evs.length === 2) {
      const [A, B] = evs as [Ev, Ev]
      return (f) => {
        const a = A(f)
        const b = B(f)
        try {
          return impl(a, b)
        } catch (error) {
          throw relocate(error, site)
        }
      }
    }
  }
  if (!sized && (evs.length === 1 || evs.length === 2)) {
    // Dyn arguments of a one- or two-argument function, e.g. `c.image.lowerAscii()` or
    // `c.image.replace('x', 'y')`'s receiver: checked in place, no argument array.
    const [A, B] = evs as [Ev, Ev | undefined]
    const [t0, t1] = checks as [string | undefined, string | undefined]
    const ok0 = typeTest(t0)
    const ok1 = typeTest(t1)
    if (B === undefined)
      return (f) => {
        const a = A(f)
        if (!ok0(a)) throw noOverload(name, [a]).locate(site.start, site.end)
        try {
          return impl(a)
        } catch (error) {
          throw relocate(error, site)
        }
      }
    return (f) => {
      const a = A(f)
      const b = B(f)
      if (!ok0(a) || !ok1(b)) throw noOverload(name, [a, b]).locate(site.start, site.end)
      try {
        return impl(a, b)
      } catch (error) {
        throw relocate(error, site)
      }
    }
  }
  return (f) =>
    call(
      f,
      evs.map((e) => e(f)),
    )
}

const anyValue = (): boolean => true
const isString = (v: unknown): boolean => typeof v === 'string'

/** The run-time check of a parameter type (undefined: none needed), strings tested inline. */
function typeTest(t: string | undefined): (v: unknown) => boolean {
  if (t === undefined) return anyValue
  if (t === 'string') return isString
  return (v) => hasType(v, t)
}

function dispatch(
  name: string,
  candidates: readonly Overload[],
  args: readonly Compiled[],
  site: Site,
  type: string,
): Ev {
  const evs = args.map((a) => (a.type === 'double' ? (f: Frame) => boxDouble(a.ev(f) as number) : a.ev))
  const n = evs.length
  const unboxes = candidates.map((o) => o.params.includes('double'))
  const result = (f: Frame, o: Overload, r: unknown): unknown => {
    if (o.sized) chargeSize(f, r)
    return o.result === 'double' && type !== 'double' ? boxDouble(r as number) : r
  }
  if (n === 1) {
    // One argument (`string(x)`, `int(x)` on a dyn): no argument array.
    const A = evs[0] as Ev
    const params = candidates.map((o) => o.params[0] as string)
    return (f) => {
      const a = A(f)
      for (let c = 0; c < candidates.length; c++) {
        if (!hasType(a, params[c] as string)) continue
        const o = candidates[c] as Overload
        let r: unknown
        try {
          r = o.impl(unboxes[c] === true ? unboxDouble(a) : a)
        } catch (error) {
          throw relocate(error, site)
        }
        return result(f, o, r)
      }
      throw noOverload(name, [a]).locate(site.start, site.end)
    }
  }
  // Run per call of a function whose overload is known only at run time: loops, no closures or copies.
  return (f) => {
    const values = new Array<unknown>(n)
    for (let i = 0; i < n; i++) values[i] = (evs[i] as Ev)(f)
    for (let c = 0; c < candidates.length; c++) {
      const o = candidates[c] as Overload
      const params = o.params
      let matches = true
      for (let i = 0; i < params.length; i++)
        if (!hasType(values[i], params[i] as string)) {
          matches = false
          break
        }
      if (!matches) continue
      if (unboxes[c] === true)
        for (let i = 0; i < n; i++) if (params[i] === 'double') values[i] = unboxDouble(values[i])
      let r: unknown
      try {
        r = n === 1 ? o.impl(values[0]) : n === 2 ? o.impl(values[0], values[1]) : o.impl(...values)
      } catch (error) {
        throw relocate(error, site)
      }
      return result(f, o, r)
    }
    throw noOverload(name, values).locate(site.start, site.end)
  }
}

function chargeSize(f: Frame, r: unknown): void {
  // The same rates as concatenation (see cel/eval-budget.ts), after the fact: the result's size is known only now.
  const n = typeof r === 'string' ? r.length >> 2 : Array.isArray(r) ? r.length : 0
  if (n > 0) charge(f, n)
}
