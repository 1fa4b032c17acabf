import type { Value } from './value.js'

/** Frame of one rule body evaluation: variable slots, undefined while unbound. */
export type Frame = (Value | undefined)[]

/** Continuation of a literal: returns true to stop the search (an answer is enough). */
export type K = () => boolean
/** Continuation receiving one value of a term. */
export type VK = (v: Value) => boolean

/** One override of `with data.<path> as <value>`. */
export interface DataOverride {
  path: readonly string[]
  value: Value
}

/** The state of one query evaluation, replaced (with a fresh cache) under `with`. */
export interface Ctx {
  input: Value | undefined
  /** Base documents (data not defined by rules). */
  data: Value
  overrides: readonly DataOverride[]
  /** Values of rule groups already evaluated (undefined = evaluated, undefined result). */
  cache: Map<object, Value | undefined>
  /** Groups being evaluated now (recursion guard). */
  active: Set<object>
  /** Built-in errors raise (true) or make the expression undefined (false, as OPA and Gatekeeper default). */
  strict: boolean
  /** Wall-clock for time.now_ns, fixed for the evaluation. */
  nowNs: number
  /** Functions replaced by `with` (by FnTarget.key), when any are. */
  functions?: ReadonlyMap<string, Invoke>
}

/** Call a function on evaluated arguments: `k` receives each result. */
export type Invoke = (args: Value[], c: Ctx, k: VK) => boolean

/** A function a call resolves to. `kind`: a user function, a rule read as `f()`, or a built-in. */
export interface FnTarget {
  arity: number | undefined
  invoke: Invoke
  /** What `with` replaces it by: `data.<path>` of a user function, the name of a built-in. */
  key: string
  kind: 'func' | 'rule' | 'builtin'
}

export type CTerm = (f: Frame, c: Ctx, k: VK) => boolean
export type CLit = (f: Frame, c: Ctx, k: K) => boolean
/** Unify a compiled pattern with a value, binding unbound variables for the continuation. */
export type CPattern = (f: Frame, c: Ctx, v: Value, k: K) => boolean
