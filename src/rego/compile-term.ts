import { spend } from '../engine/index.js'
import type { Literal, Term } from './ast.js'
import type { CPattern, CTerm, Ctx, FnTarget, Frame, Invoke, K, VK } from './context.js'
import { RegoError } from './errors.js'
import type { Scope } from './scope.js'
import {
  equal,
  indexValue,
  isArray,
  isObject,
  makeObject,
  objectEntries,
  objectGet,
  RSet,
  type Value,
} from './value.js'

/** What term compilation needs from the program: rule references, functions, bodies. */
export interface Linker {
  /** A reference into data: `path` is ground, `rest` the remaining path elements. */
  dataRef(path: readonly string[], rest: readonly Term[], s: Scope, line: number): CTerm
  /** A built-in or user function by dotted name. */
  fn(name: readonly string[], s: Scope, line: number): FnTarget
  body(body: readonly Literal[], s: Scope): (f: Frame, c: Ctx, k: K) => boolean
}

/** Call `fn(key, value)` for each member of a collection; stops when it returns true. */
export function each(coll: Value, fn: (key: Value, value: Value) => boolean): boolean {
  if (isArray(coll)) {
    spend(coll.length)
    for (let i = 0; i < coll.length; i++) if (fn(i, coll[i] as Value)) return true
    return false
  }
  if (coll instanceof RSet) {
    spend(coll.size)
    for (const v of [...coll.values()]) if (fn(v, v)) return true
    return false
  }
  if (isObject(coll)) {
    const entries = objectEntries(coll)
    spend(entries.length)
    for (const [k, v] of entries) if (fn(k, v)) return true
  }
  return false
}

const unsafe = (name: string, line: number): RegoError =>
  new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, line)

/** Evaluate terms left to right, calling `k` with every combination of their values. */
export function product(terms: readonly CTerm[], f: Frame, c: Ctx, k: (vs: Value[]) => boolean): boolean {
  const out: Value[] = new Array<Value>(terms.length)
  const step = (i: number): boolean => {
    if (i === terms.length) return k(out.slice())
    return (terms[i] as CTerm)(f, c, (v) => {
      out[i] = v
      return step(i + 1)
    })
  }
  return step(0)
}

/** Compile a term into a generator of its values (none when undefined). */
export function compileTerm(t: Term, s: Scope, L: Linker): CTerm {
  switch (t.t) {
    case 'scalar': {
      const v = t.v
      return (_f, _c, k) => k(v)
    }
    case 'var':
      return compileVar(t.name, s, L, t.line)
    case 'ref':
      return compileRef(t, s, L)
    case 'array': {
      const items = t.items.map((i) => compileTerm(i, s, L))
      return (f, c, k) => product(items, f, c, (vs) => k(vs))
    }
    case 'set': {
      const items = t.items.map((i) => compileTerm(i, s, L))
      return (f, c, k) => product(items, f, c, (vs) => k(new RSet(vs)))
    }
    case 'object': {
      const parts = t.entries.flatMap(([a, b]) => [compileTerm(a, s, L), compileTerm(b, s, L)])
      return (f, c, k) =>
        product(parts, f, c, (vs) => {
          const entries: [Value, Value][] = []
          for (let i = 0; i < vs.length; i += 2) entries.push([vs[i] as Value, vs[i + 1] as Value])
          return k(makeObject(entries))
        })
    }
    case 'arraycomp':
    case 'setcomp': {
      const inner = s.child()
      inner.declareBody(t.body)
      inner.declareTerms([t.head])
      const body = L.body(t.body, inner)
      const head = compileTerm(t.head, inner, L)
      const isSet = t.t === 'setcomp'
      return (f, c, k) => {
        const out: Value[] = []
        body(f, c, () => head(f, c, (v) => (out.push(v), false)))
        return k(isSet ? new RSet(out) : out)
      }
    }
    case 'objcomp': {
      const inner = s.child()
      inner.declareBody(t.body)
      inner.declareTerms([t.key, t.value])
      const body = L.body(t.body, inner)
      const key = compileTerm(t.key, inner, L)
      const value = compileTerm(t.value, inner, L)
      const line = t.line
      return (f, c, k) => {
        const entries: [Value, Value][] = []
        body(f, c, () =>
          key(f, c, (kv) =>
            value(f, c, (vv) => {
              const prev = entries.find(([x]) => equal(x, kv))
              if (prev && !equal(prev[1], vv))
                throw new RegoError('eval_conflict_error', 'object keys must be unique', line)
              if (!prev) entries.push([kv, vv])
              return false
            }),
          ),
        )
        return k(makeObject(entries))
      }
    }
    case 'call':
      return compileCall(t.fn, t.args, s, L, t.line)
  }
}

function compileVar(name: string, s: Scope, L: Linker, line: number): CTerm {
  const r = s.resolve(name)
  switch (r.kind) {
    case 'wild':
      return () => {
        throw unsafe('_', line)
      }
    case 'local': {
      const slot = r.slot
      return (f, _c, k) => {
        const v = f[slot]
        if (v === undefined) throw unsafe(name, line)
        return k(v)
      }
    }
    case 'input':
      return compileInputPath(r.path, [], s, L)
    case 'data':
      return L.dataRef(r.path, [], s, line)
  }
}

function compileInputPath(path: readonly string[], rest: readonly Term[], s: Scope, L: Linker): CTerm {
  const els = rest.map((p) => compilePathElement(p, s, L))
  return (f, c, k) => {
    let v: Value | undefined = c.input
    for (const p of path) {
      if (v === undefined) return false
      v = indexValue(v, p)
    }
    if (v === undefined) return false
    return walk(els, 0, v, f, c, k)
  }
}

type PathEl = (f: Frame, c: Ctx, coll: Value, k: VK) => boolean

/** Apply compiled path elements from `i` on to `v`. */
export function walk(els: readonly PathEl[], i: number, v: Value, f: Frame, c: Ctx, k: VK): boolean {
  if (i === els.length) return k(v)
  return (els[i] as PathEl)(f, c, v, (x) => walk(els, i + 1, x, f, c, k))
}

/** Compile path elements (for data references resolved by the linker). */
export function compilePath(rest: readonly Term[], s: Scope, L: Linker): PathEl[] {
  return rest.map((p) => compilePathElement(p, s, L))
}

function compilePathElement(p: Term, s: Scope, L: Linker): PathEl {
  if (p.t === 'scalar') {
    const key = p.v
    return (_f, _c, coll, k) => {
      const v = typeof key === 'string' && isObject(coll) ? objectGet(coll, key) : indexValue(coll, key)
      return v === undefined ? false : k(v)
    }
  }
  if (p.t === 'var') {
    const r = s.resolve(p.name)
    if (r.kind === 'wild') return (_f, _c, coll, k) => each(coll, (_key, v) => k(v))
    if (r.kind === 'local') {
      const slot = r.slot
      return (f, _c, coll, k) => {
        const b = f[slot]
        if (b !== undefined) {
          const v = indexValue(coll, b)
          return v === undefined ? false : k(v)
        }
        return each(coll, (key, v) => {
          f[slot] = key
          const stop = k(v)
          f[slot] = undefined
          return stop
        })
      }
    }
  }
  // Any other term: a key when its variables are bound, else a pattern over the keys.
  const term = compileTerm(p, s, L)
  const pattern = compilePattern(p, s, L)
  const ground = compileGround(p, s)
  return (f, c, coll, k) => {
    if (ground(f)) {
      return term(f, c, (key) => {
        const v = indexValue(coll, key)
        return v === undefined ? false : k(v)
      })
    }
    return each(coll, (key, v) => pattern(f, c, key, () => k(v)))
  }
}

function compileRef(t: Extract<Term, { t: 'ref' }>, s: Scope, L: Linker): CTerm {
  const head = t.head
  if (head.t === 'var') {
    const r = s.resolve(head.name)
    if (r.kind === 'input') return compileInputPath(r.path, t.path, s, L)
    if (r.kind === 'data') {
      const path = [...r.path]
      let i = 0
      while (i < t.path.length) {
        const p = t.path[i] as Term
        if (p.t !== 'scalar' || typeof p.v !== 'string') break
        path.push(p.v)
        i++
      }
      return L.dataRef(path, t.path.slice(i), s, t.line)
    }
  }
  const base = compileTerm(head, s, L)
  const els = compilePath(t.path, s, L)
  return (f, c, k) => base(f, c, (v) => walk(els, 0, v, f, c, k))
}

function compileCall(name: readonly string[], args: readonly Term[], s: Scope, L: Linker, line: number): CTerm {
  if (name.length === 1 && name[0] === 'print' && !s.isLocal('print')) {
    // print: every argument is evaluated (an undefined one prints as <undefined> in OPA) and the call holds.
    const terms = args.map((a) => compileTerm(a, s, L))
    return (f, c, k) => {
      for (const t of terms) t(f, c, () => true)
      return k(true)
    }
  }
  const target = L.fn(name, s, line)
  const key = target.key
  const own = target.invoke
  // A function replaced by `with` in this evaluation calls its replacement.
  const invoke: Invoke = (vs, c, k) => {
    const r = c.functions?.get(key)
    return r === undefined ? own(vs, c, k) : r(vs, c, k)
  }
  const arity = target.arity
  if (arity !== undefined && args.length === arity + 1) {
    // The last argument receives the result: `count(xs, n)`.
    const ins = args.slice(0, arity).map((a) => compileTerm(a, s, L))
    const out = compilePattern(args[arity] as Term, s, L)
    return (f, c, k) => product(ins, f, c, (vs) => invoke(vs, c, (r) => out(f, c, r, () => k(true))))
  }
  if (arity !== undefined && args.length !== arity)
    throw new RegoError(
      'rego_type_error',
      `${name.join('.')}: arity mismatch: ${args.length} arguments given, ${arity} expected`,
      line,
    )
  const ins = args.map((a) => compileTerm(a, s, L))
  return (f, c, k) => product(ins, f, c, (vs) => invoke(vs, c, k))
}

/** A runtime check: are the variables a term needs to be evaluated bound? */
export function compileGround(t: Term, s: Scope): (f: Frame) => boolean {
  const slots: number[] = []
  let never = false
  const visit = (x: Term): void => {
    switch (x.t) {
      case 'var': {
        if (x.name === '_') {
          never = true
          return
        }
        const slot = s.lookup(x.name)
        if (slot !== undefined) slots.push(slot)
        else if (s.global(x.name) === undefined) never = true
        return
      }
      case 'ref':
        visit(x.head)
        return
      case 'array':
      case 'set':
        x.items.forEach(visit)
        return
      case 'object':
        x.entries.forEach(([a, b]) => (visit(a), visit(b)))
        return
      default:
        return
    }
  }
  visit(t)
  if (never) return () => false
  if (slots.length === 0) return () => true
  return (f) => slots.every((i) => f[i] !== undefined)
}

/** Compile a term as a pattern: unbound variables are bound to the matching part of the value. */
export function compilePattern(t: Term, s: Scope, L: Linker): CPattern {
  if (t.t === 'var') {
    const r = s.resolve(t.name)
    if (r.kind === 'wild') return (_f, _c, _v, k) => k()
    if (r.kind === 'local') {
      const slot = r.slot
      return (f, _c, v, k) => {
        const b = f[slot]
        if (b !== undefined) return equal(b, v) ? k() : false
        f[slot] = v
        const stop = k()
        f[slot] = undefined
        return stop
      }
    }
  }
  if (t.t === 'array') {
    const items = t.items.map((i) => compilePattern(i, s, L))
    return (f, c, v, k) => {
      if (!isArray(v) || v.length !== items.length) return false
      const step = (i: number): boolean =>
        i === items.length ? k() : (items[i] as CPattern)(f, c, v[i] as Value, () => step(i + 1))
      return step(0)
    }
  }
  if (t.t === 'object') {
    const keys = t.entries.map(([a]) => compileTerm(a, s, L))
    const values = t.entries.map(([, b]) => compilePattern(b, s, L))
    const n = t.entries.length
    return (f, c, v, k) => {
      if (!isObject(v)) return false
      return product(keys, f, c, (ks) => {
        const vs: Value[] = []
        for (const key of ks) {
          const x = objectGet(v, key)
          if (x === undefined) return false
          vs.push(x)
        }
        if (isObject(v) && objectEntries(v).length !== n) return false
        const step = (i: number): boolean =>
          i === n ? k() : (values[i] as CPattern)(f, c, vs[i] as Value, () => step(i + 1))
        return step(0)
      })
    }
  }
  const term = compileTerm(t, s, L)
  return (f, c, v, k) => term(f, c, (x) => (equal(x, v) ? k() : false))
}
