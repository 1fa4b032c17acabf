import type { Literal, Term } from './ast.js'
import { termVars } from './ast.js'
import { namesBuiltin } from './safety.js'

/** How a name in a body resolves at compile time. */
export type Resolution =
  | { kind: 'local'; slot: number }
  | { kind: 'wild'; slot: number }
  | { kind: 'input'; path: readonly string[] }
  | { kind: 'data'; path: readonly string[] }

/** Names a module's bodies see besides their locals: its package, rules and imports. */
export interface ModuleNames {
  pkg: readonly string[]
  /** First names of the rules of the package (across its modules). */
  rules: ReadonlySet<string>
  imports: ReadonlyMap<string, { root: 'input' | 'data'; path: readonly string[] }>
}

/** Variables of one body (rule, query, comprehension, every), slots in the frame of the rule. */
export class Scope {
  private readonly vars = new Map<string, number>()
  /** Variables bound before the body runs (function arguments, every's key and value). */
  readonly boundAtEntry = new Set<string>()
  constructor(
    readonly names: ModuleNames,
    readonly parent: Scope | undefined,
    private readonly alloc: { n: number },
  ) {}

  /** A root scope with a fresh frame layout. */
  static root(names: ModuleNames): Scope {
    return new Scope(names, undefined, { n: 0 })
  }

  child(): Scope {
    return new Scope(this.names, this, this.alloc)
  }

  get frameSize(): number {
    return this.alloc.n
  }

  lookup(name: string): number | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name)
  }

  declare(name: string): number {
    const slot = this.alloc.n++
    this.vars.set(name, slot)
    return slot
  }

  fresh(): number {
    return this.alloc.n++
  }

  /** True when the name is a local of this scope or an enclosing one. */
  isLocal(name: string): boolean {
    return this.lookup(name) !== undefined
  }

  resolve(name: string): Resolution {
    if (name === '_') return { kind: 'wild', slot: this.fresh() }
    const slot = this.lookup(name)
    if (slot !== undefined) return { kind: 'local', slot }
    const global = this.global(name)
    if (global) return global
    return { kind: 'local', slot: this.declare(name) }
  }

  /** The meaning of a name that is not a local: a rule of the package, an import, input or data. */
  global(name: string): Resolution | undefined {
    if (this.names.rules.has(name)) return { kind: 'data', path: [...this.names.pkg, name] }
    const imp = this.names.imports.get(name)
    if (imp) return { kind: imp.root, path: imp.path }
    if (name === 'input') return { kind: 'input', path: [] }
    if (name === 'data') return { kind: 'data', path: [] }
    return undefined
  }

  /**
   * Declare the variables a body introduces before compiling it, so that a variable first
   * seen in a nested comprehension but bound in the body is the body's. `some x` and `x :=`
   * declare a new variable even when an enclosing scope has one of that name.
   */
  declareBody(body: readonly Literal[]): void {
    const names = new Set<string>()
    for (const lit of body) {
      const e = lit.expr
      if (e.e === 'some') for (const v of e.vars) this.declare(v)
      else if (e.e === 'assign') {
        const own = new Set<string>()
        termVars(e.l, own)
        for (const v of own) if (v !== '_' && !this.vars.has(v)) this.declare(v)
        termVars(e.r, names)
      } else if (e.e === 'term') termVars(e.term, names)
      else if (e.e === 'unify') {
        termVars(e.l, names)
        termVars(e.r, names)
      } else if (e.e === 'somein') {
        const own = new Set<string>()
        if (e.key) termVars(e.key, own)
        termVars(e.value, own)
        for (const v of own) if (v !== '_' && !this.vars.has(v)) this.declare(v)
        termVars(e.coll, names)
      } else termVars(e.coll, names)
      for (const w of lit.withs) if (!namesBuiltin(w.value)) termVars(w.value, names)
    }
    for (const n of names)
      if (n !== '_' && this.lookup(n) === undefined && this.global(n) === undefined) this.declare(n)
  }

  /** Declare the variables of terms as locals of this scope, whatever else they could name (function arguments, head keys). */
  declareLocals(terms: readonly (Term | undefined)[]): void {
    const names = new Set<string>()
    for (const t of terms) if (t) termVars(t, names)
    for (const n of names) if (n !== '_' && !this.vars.has(n)) this.declare(n)
    for (const n of names) this.boundAtEntry.add(n)
  }

  /** Variables of this scope a body must bind before reading them (safety ordering). */
  unboundAtEntry(): Set<string> {
    return new Set([...this.vars.keys()].filter((n) => !this.boundAtEntry.has(n)))
  }

  /** Declare the variables of head terms (function arguments, keys, values). */
  declareTerms(terms: readonly (Term | undefined)[]): void {
    const names = new Set<string>()
    for (const t of terms) if (t) termVars(t, names)
    for (const n of names)
      if (n !== '_' && this.lookup(n) === undefined && this.global(n) === undefined) this.declare(n)
  }
}
