import { spend } from '../engine/index.js'
import type { Rule, RuleKind, Term } from './ast.js'
import type { CPattern, CTerm, Ctx, Frame, K, VK } from './context.js'
import { RegoError } from './errors.js'
import { equal, indexValue, isObject, makeObject, objectEntries, objectGet, RSet, type Value } from './value.js'

type CBody = (f: Frame, c: Ctx, k: K) => boolean

/** One compiled definition (with its else chain) of a rule. */
export interface CompiledRule {
  frame: () => number
  args?: CPattern[]
  body: CBody
  /** Element of a set rule. */
  key?: CTerm
  /** Dynamic path of an object rule below the group's path. */
  rest?: CTerm[]
  value?: CTerm
  elses: { body: CBody; value?: CTerm }[]
  line: number
}

/** All definitions of one rule path (`data.<pkg>.<name>...`) with its default. */
export interface RuleGroup {
  path: readonly string[]
  kind: RuleKind
  arity?: number
  rules: { rule: Rule; compiled?: CompiledRule; pkg: readonly string[]; file: string }[]
  defaultValue?: Term
  compiledDefault?: CTerm
}

const TRUE: CTerm = (_f, _c, k) => k(true)

/** Run one rule (main body, then else clauses in order until one holds); `k` gets each value. */
function runRule(r: CompiledRule, f: Frame, c: Ctx, k: VK): boolean {
  spend(1)
  let found = false
  const value = r.value ?? TRUE
  const stop = r.body(f, c, () => {
    found = true
    return value(f, c, k)
  })
  if (stop || found) return stop
  for (const e of r.elses) {
    const v = e.value ?? TRUE
    let hit = false
    const s = e.body(f, c, () => {
      hit = true
      return v(f, c, k)
    })
    if (s || hit) return s
  }
  return false
}

const conflict = (g: RuleGroup, what: string): RegoError =>
  new RegoError('eval_conflict_error', `${what}: data.${g.path.join('.')}`)

/** The value of a group (not a function) in a context, cached for the evaluation. */
export function groupValue(g: RuleGroup, c: Ctx): Value | undefined {
  for (const o of c.overrides) {
    if (o.path.length <= g.path.length && o.path.every((p, i) => p === g.path[i])) {
      let v: Value | undefined = o.value
      for (const p of g.path.slice(o.path.length)) v = v === undefined ? undefined : indexValue(v, p)
      return v
    }
  }
  if (c.cache.has(g)) return c.cache.get(g)
  if (c.active.has(g)) throw new RegoError('rego_recursion_error', `rule data.${g.path.join('.')} is recursive`)
  c.active.add(g)
  try {
    const v = computeGroup(g, c)
    c.cache.set(g, v)
    return v
  } finally {
    c.active.delete(g)
  }
}

function computeGroup(g: RuleGroup, c: Ctx): Value | undefined {
  const compiled = g.rules.map((r) => r.compiled).filter((r): r is CompiledRule => r !== undefined)
  switch (g.kind) {
    case 'complete': {
      let out: Value | undefined
      for (const r of compiled) {
        const f: Frame = new Array<Value | undefined>(r.frame())
        runRule(r, f, c, (v) => {
          if (out !== undefined && !equal(out, v)) throw conflict(g, 'complete rules must not produce multiple outputs')
          out = v
          return false
        })
      }
      if (out === undefined && g.compiledDefault) g.compiledDefault([], c, (v) => ((out = v), true))
      return out
    }
    case 'set': {
      const out = new RSet()
      for (const r of compiled) {
        const f: Frame = new Array<Value | undefined>(r.frame())
        const key = r.key as CTerm
        r.body(f, c, () => key(f, c, (v) => (out.map.set(keyOfValue(v), v), false)))
      }
      return out
    }
    case 'object': {
      let out: Value = makeObject([])
      for (const r of compiled) {
        const f: Frame = new Array<Value | undefined>(r.frame())
        const rest = r.rest ?? []
        runRule(r, f, c, (v) => {
          const keys: Value[] = []
          const step = (i: number): boolean => {
            if (i === rest.length) {
              out = insertAt(g, out, keys, v)
              return false
            }
            return (rest[i] as CTerm)(f, c, (kv) => {
              keys[i] = kv
              return step(i + 1)
            })
          }
          return step(0)
        })
      }
      return out
    }
    case 'func':
      return undefined
  }
}

import { keyOf as keyOfValue } from './value.js'

function insertAt(g: RuleGroup, obj: Value, keys: readonly Value[], v: Value): Value {
  if (keys.length === 0) {
    return v
  }
  const [first, ...rest] = keys as [Value, ...Value[]]
  const entries: [Value, Value][] = isObject(obj) ? objectEntries(obj) : []
  const existing = isObject(obj) ? objectGet(obj, first) : undefined
  if (rest.length === 0) {
    if (existing !== undefined) {
      if (!equal(existing, v)) throw conflict(g, 'object keys must be unique')
      return obj
    }
    entries.push([first, v])
    return makeObject(entries)
  }
  const child = insertAt(g, existing ?? makeObject([]), rest, v)
  return makeObject([...entries.filter(([k]) => !equal(k, first)), [first, child]])
}

/** Call a user function: every definition whose arguments unify and whose body holds must agree. */
export function callGroup(g: RuleGroup, args: readonly Value[], c: Ctx, k: VK): boolean {
  if (c.active.has(g)) throw new RegoError('rego_recursion_error', `function data.${g.path.join('.')} is recursive`)
  let out: Value | undefined
  c.active.add(g)
  try {
    for (const entry of g.rules) {
      const r = entry.compiled
      if (!r || !r.args) continue
      const f: Frame = new Array<Value | undefined>(r.frame())
      const pats = r.args
      const step = (i: number): boolean =>
        i === pats.length
          ? runRule(r, f, c, (v) => {
              if (out !== undefined && !equal(out, v))
                throw conflict(g, 'functions must not produce multiple outputs for same inputs')
              out = v
              return false
            })
          : (pats[i] as CPattern)(f, c, args[i] as Value, () => step(i + 1))
      step(0)
    }
    if (out === undefined && g.compiledDefault) g.compiledDefault([], c, (v) => ((out = v), true))
  } finally {
    c.active.delete(g)
  }
  return out === undefined ? false : k(out)
}
