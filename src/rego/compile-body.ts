import type { Expr, Literal, Term, With } from './ast.js'
import { compileGround, compilePattern, compileTerm, each, product, type Linker } from './compile-term.js'
import type { CLit, CTerm, Ctx, DataOverride, FnTarget, Frame, Invoke, K } from './context.js'
import { RegoError } from './errors.js'
import type { Scope } from './scope.js'
import { isObject, makeObject, objectEntries, RSet, type Value } from './value.js'
import { isArray } from './value.js'
import { orderForSafety } from './safety.js'

type CBody = (f: Frame, c: Ctx, k: K) => boolean

/** Compile a body (its variables declared in `s` beforehand) into one closure. */
export function compileBody(body: readonly Literal[], s: Scope, L: Linker): CBody {
  const lits = orderForSafety(body, s.unboundAtEntry()).map((l) => compileLiteral(l, s, L))
  return chain(lits, 0)
}

function chain(lits: readonly CLit[], i: number): CBody {
  if (i === lits.length) return (_f, _c, k) => k()
  const first = lits[i] as CLit
  if (i === lits.length - 1) return first
  const rest = chain(lits, i + 1)
  return (f, c, k) => first(f, c, () => rest(f, c, k))
}

function compileLiteral(lit: Literal, s: Scope, L: Linker): CLit {
  let inner = compileExpr(lit.expr, s, L, lit.line)
  if (lit.negated) {
    const positive = inner
    inner = (f, c, k) => (positive(f, c, () => true) ? false : k())
  }
  if (lit.withs.length > 0) inner = compileWith(lit.withs, inner, s, L, lit.line)
  return inner
}

function compileExpr(e: Expr, s: Scope, L: Linker, line: number): CLit {
  switch (e.e) {
    case 'term': {
      const t = compileTerm(e.term, s, L)
      return (f, c, k) => t(f, c, (v) => (v === false ? false : k()))
    }
    case 'unify':
      return compileUnify(e.l, e.r, s, L, line)
    case 'assign': {
      const r = compileTerm(e.r, s, L)
      const l = compilePattern(e.l, s, L)
      return (f, c, k) => r(f, c, (v) => l(f, c, v, k))
    }
    case 'some':
      return (_f, _c, k) => k()
    case 'somein': {
      const coll = compileTerm(e.coll, s, L)
      const value = compilePattern(e.value, s, L)
      const keyTerm = e.key
      if (keyTerm === undefined) return (f, c, k) => coll(f, c, (xs) => each(xs, (_key, v) => value(f, c, v, k)))
      const key = compilePattern(keyTerm, s, L)
      return (f, c, k) => coll(f, c, (xs) => each(xs, (kv, v) => key(f, c, kv, () => value(f, c, v, k))))
    }
    case 'every': {
      const coll = compileTerm(e.coll, s, L)
      const inner = s.child()
      const names = new Set<string>()
      if (e.key?.t === 'var') names.add(e.key.name)
      if (e.value.t === 'var') names.add(e.value.name)
      for (const n of names) if (n !== '_') inner.declare(n)
      inner.declareLocals([e.key, e.value])
      inner.declareTerms([e.key, e.value])
      inner.declareBody(e.body)
      const key = e.key ? compilePattern(e.key, inner, L) : undefined
      const value = compilePattern(e.value, inner, L)
      const body = compileBody(e.body, inner, L)
      const holds = (f: Frame, c: Ctx, kv: Value, v: Value): boolean => {
        const run = (): boolean => value(f, c, v, () => body(f, c, () => true))
        return key ? key(f, c, kv, run) : run()
      }
      return (f, c, k) => coll(f, c, (xs) => (each(xs, (kv, v) => !holds(f, c, kv, v)) ? false : k()))
    }
  }
}

function compileUnify(l: Term, r: Term, s: Scope, L: Linker, line: number): CLit {
  if (l.t === 'array' && r.t === 'array' && l.items.length === r.items.length && l.items.length > 0) {
    const groundL = compileGround(l, s)
    const groundR = compileGround(r, s)
    const whole = compileUnifySides(l, r, s, L, line)
    const pairs = l.items.map((x, i) => compileUnify(x, r.items[i] as Term, s, L, line))
    const pairwise = compileBodyOf(pairs)
    return (f, c, k) => (groundL(f) || groundR(f) ? whole(f, c, k) : pairwise(f, c, k))
  }
  return compileUnifySides(l, r, s, L, line)
}

function compileBodyOf(lits: CLit[]): CBody {
  return chain(lits, 0)
}

function compileUnifySides(l: Term, r: Term, s: Scope, L: Linker, line: number): CLit {
  const gl = compileGround(l, s)
  const gr = compileGround(r, s)
  const tl = compileTerm(l, s, L)
  const tr = compileTerm(r, s, L)
  const pl = compilePattern(l, s, L)
  const pr = compilePattern(r, s, L)
  return (f, c, k) => {
    if (gr(f)) return tr(f, c, (v) => pl(f, c, v, k))
    if (gl(f)) return tl(f, c, (v) => pr(f, c, v, k))
    throw new RegoError('rego_unsafe_var_error', 'unification of two unbound terms', line)
  }
}

/** The target of a `with` modifier: a document path. */
function withTarget(t: Term, s: Scope, line: number): { root: 'input' | 'data'; path: string[] } {
  const head = t.t === 'ref' ? t.head : t
  const rest = t.t === 'ref' ? t.path : []
  if (head.t !== 'var') throw new RegoError('rego_compile_error', 'with: target must be input or data', line)
  const r = s.global(head.name)
  if (r === undefined || (r.kind !== 'input' && r.kind !== 'data'))
    throw new RegoError('rego_compile_error', `with: unsupported target ${head.name}`, line)
  const path = [...r.path]
  for (const p of rest) {
    if (p.t !== 'scalar' || typeof p.v !== 'string')
      throw new RegoError('rego_compile_error', 'with: target path must be constant', line)
    path.push(p.v)
  }
  return { root: r.kind, path }
}

/** The dotted name a term spells, when it is a name that is not a local variable. */
function nameOf(t: Term, s: Scope): string[] | undefined {
  const head = t.t === 'ref' ? t.head : t
  if (head.t !== 'var' || s.isLocal(head.name)) return undefined
  const out = [head.name]
  for (const p of t.t === 'ref' ? t.path : []) {
    if (p.t !== 'scalar' || typeof p.v !== 'string') return undefined
    out.push(p.v)
  }
  return out
}

/** The function a term names (a built-in or a user function; not a rule), if it names one. */
function functionOf(t: Term, s: Scope, L: Linker, line: number): FnTarget | undefined {
  const name = nameOf(t, s)
  if (name === undefined || name[0] === 'input') return undefined
  try {
    const fn = L.fn(name, s, line)
    return fn.kind === 'rule' ? undefined : fn
  } catch (error) {
    if (error instanceof RegoError) return undefined
    throw error
  }
}

/** A `with` modifier: a document path replaced by a value, or a function replaced by a function or a value (OPA). */
type WithPlan =
  | { kind: 'doc'; root: 'input' | 'data'; path: string[]; value: CTerm }
  | { kind: 'fn'; key: string; by: Invoke }
  | { kind: 'fnValue'; key: string; value: CTerm }

function withPlan(w: With, s: Scope, L: Linker, line: number): WithPlan {
  const target = functionOf(w.target, s, L, line)
  if (target === undefined) return { kind: 'doc', ...withTarget(w.target, s, line), value: compileTerm(w.value, s, L) }
  const by = functionOf(w.value, s, L, line)
  if (by === undefined) return { kind: 'fnValue', key: target.key, value: compileTerm(w.value, s, L) }
  if (target.arity !== undefined && by.arity !== undefined && target.arity !== by.arity)
    throw new RegoError(
      'rego_type_error',
      `with: ${target.key} takes ${target.arity} arguments, its replacement ${by.key} ${by.arity}`,
      line,
    )
  // The replacement runs as itself (its own calls of replaced functions are replaced too).
  return { kind: 'fn', key: target.key, by: by.invoke }
}

function compileWith(withs: readonly With[], inner: CLit, s: Scope, L: Linker, line: number): CLit {
  const plans = withs.map((w) => withPlan(w, s, L, line))
  const values = plans.map((p) => (p.kind === 'fn' ? constantTerm : p.value))
  return (f, c, k) =>
    product(values, f, c, (vs) => {
      let input = c.input
      let data = c.data
      const overrides: DataOverride[] = [...c.overrides]
      let functions: Map<string, Invoke> | undefined
      plans.forEach((t, i) => {
        const v = vs[i] as Value
        if (t.kind === 'fn') (functions ??= new Map(c.functions)).set(t.key, t.by)
        else if (t.kind === 'fnValue') (functions ??= new Map(c.functions)).set(t.key, (_a, _c, fk) => fk(v))
        else if (t.root === 'input') input = t.path.length === 0 ? v : setPath(input ?? {}, t.path, v)
        else {
          data = setPath(data, t.path, v)
          overrides.push({ path: t.path, value: v })
        }
      })
      const c2: Ctx = {
        ...c,
        input,
        data,
        overrides,
        cache: new Map(),
        active: new Set(),
        ...(functions === undefined ? {} : { functions }),
      }
      return inner(f, c2, k)
    })
}

/** A term with one value that is never read (the slot of a function replacement among the values of `with`). */
const constantTerm: CTerm = (_f, _c, k) => k(null)

/** A copy of `doc` with `value` at `path` (objects created on the way). */
export function setPath(doc: Value, path: readonly string[], value: Value): Value {
  if (path.length === 0) return value
  const [first, ...rest] = path as [string, ...string[]]
  const entries: [Value, Value][] = isObject(doc) ? objectEntries(doc).filter(([k]) => k !== first) : []
  const child = isObject(doc)
    ? entries.length < objectEntries(doc).length
      ? objectEntries(doc).find(([k]) => k === first)?.[1]
      : undefined
    : undefined
  entries.push([first, setPath(child ?? {}, rest, value)])
  return makeObject(entries)
}

export { RSet, isArray }
