import type { Literal, Term } from './ast.js'
import { BUILTINS } from './builtins/index.js'

/**
 * OPA's safety ordering: a literal runs once the variables it reads are bound, so
 * `s = concat(":", [k, v]); v = obj[k]` runs the lookup first. Literals keep their order
 * unless one must wait; a literal that can never be safe keeps its place (and raises
 * an unsafe-variable error when it runs).
 */
export function orderForSafety(body: readonly Literal[], candidates: ReadonlySet<string>): Literal[] {
  if (body.length < 2 || candidates.size === 0) return [...body]
  const info = body.map((lit) => {
    const all = new Set<string>()
    const outputs = new Set<string>()
    literalVars(lit, all, outputs)
    const needs = [...all].filter((v) => candidates.has(v) && !outputs.has(v))
    return { lit, all, needs }
  })
  const bound = new Set<string>()
  const out: Literal[] = []
  const remaining = [...info]
  while (remaining.length > 0) {
    let i = remaining.findIndex((x) => x.needs.every((v) => bound.has(v)))
    if (i < 0) i = 0
    const [next] = remaining.splice(i, 1) as [(typeof info)[number]]
    out.push(next.lit)
    for (const v of next.all) if (candidates.has(v)) bound.add(v)
  }
  return out
}

/** Every variable of a literal (comprehension bodies included), and those it can bind. */
function literalVars(lit: Literal, all: Set<string>, outputs: Set<string>): void {
  const e = lit.expr
  const bindable = !lit.negated
  switch (e.e) {
    case 'term':
      visit(e.term, all, bindable ? outputs : undefined, false)
      break
    case 'unify':
      visit(e.l, all, bindable ? outputs : undefined, true)
      visit(e.r, all, bindable ? outputs : undefined, true)
      break
    case 'assign':
      visit(e.l, all, outputs, true)
      visit(e.r, all, outputs, false)
      break
    case 'some':
      break
    case 'somein':
      if (e.key) visit(e.key, all, outputs, true)
      visit(e.value, all, outputs, true)
      visit(e.coll, all, outputs, false)
      break
    case 'every':
      visit(e.coll, all, undefined, false)
      for (const l of e.body) literalVars(l, all, new Set())
      break
  }
  // A built-in named as the replacement of a function (`with upper as lower`) is no variable.
  for (const w of lit.withs) if (!namesBuiltin(w.value)) visit(w.value, all, undefined, false)
}

/** Does the term name a built-in function (`lower`, `time.now_ns`): a `with` replacement, no variable. */
export function namesBuiltin(t: Term): boolean {
  const head = t.t === 'ref' ? t.head : t
  if (head.t !== 'var') return false
  const parts = [head.name]
  for (const p of t.t === 'ref' ? t.path : []) {
    if (p.t !== 'scalar' || typeof p.v !== 'string') return false
    parts.push(p.v)
  }
  return Object.hasOwn(BUILTINS, parts.join('.'))
}

function visit(t: Term, all: Set<string>, outputs: Set<string> | undefined, pattern: boolean): void {
  switch (t.t) {
    case 'var':
      if (t.name === '_') return
      all.add(t.name)
      if (pattern && outputs) outputs.add(t.name)
      return
    case 'ref':
      visit(t.head, all, undefined, false)
      for (const p of t.path) visit(p, all, outputs, outputs !== undefined)
      return
    case 'array':
      for (const i of t.items) visit(i, all, outputs, pattern)
      return
    case 'object':
      for (const [k, v] of t.entries) {
        visit(k, all, undefined, false)
        visit(v, all, outputs, pattern)
      }
      return
    case 'set':
      for (const i of t.items) visit(i, all, undefined, false)
      return
    case 'call': {
      const name = t.fn.join('.')
      const arity = Object.hasOwn(BUILTINS, name) ? BUILTINS[name]?.arity : undefined
      t.args.forEach((a, i) =>
        visit(a, all, outputs, arity !== undefined && i === arity && t.args.length === arity + 1),
      )
      return
    }
    case 'arraycomp':
    case 'setcomp':
      visit(t.head, all, undefined, false)
      for (const l of t.body) literalVars(l, all, new Set())
      return
    case 'objcomp':
      visit(t.key, all, undefined, false)
      visit(t.value, all, undefined, false)
      for (const l of t.body) literalVars(l, all, new Set())
      return
    case 'scalar':
      return
  }
}
