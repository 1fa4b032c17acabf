import type { Literal, Module, Rule, Term } from './ast.js'
import { BUILTINS } from './builtins/index.js'
import { compileBody } from './compile-body.js'
import { compilePath, compilePattern, compileTerm, walk, type Linker } from './compile-term.js'
import type { CTerm, Ctx, FnTarget, Frame } from './context.js'
import { BuiltinError, RegoError } from './errors.js'
import { callGroup, groupValue, type CompiledRule, type RuleGroup } from './rule-group.js'
import { Scope, type ModuleNames } from './scope.js'
import { indexValue, isObject, makeObject, objectEntries, type Value } from './value.js'

/** A node of the data tree: packages and rules by path. */
interface DataNode {
  children: Map<string, DataNode>
  group?: RuleGroup
}

const newNode = (): DataNode => ({ children: new Map() })

function groundString(t: Term): string | undefined {
  return t.t === 'scalar' && typeof t.v === 'string' ? t.v : undefined
}

/**
 * Split a rule head into the group path (ground strings) and the dynamic rest. A
 * single-value rule below the path of a multi-value object rule (`p["foo"] := 1` beside
 * `p[k] := v`) joins that object rule, as in OPA.
 */
function headPath(
  pkg: readonly string[],
  rule: Rule,
  objectPaths?: ReadonlySet<string>,
): { path: string[]; rest: Term[] } {
  const path = [...pkg]
  let i = 0
  while (i < rule.ref.length) {
    const s = groundString(rule.ref[i] as Term)
    if (s === undefined) break
    path.push(s)
    i++
    if (objectPaths?.has(path.join('\u0000')) && i < rule.ref.length && rule.kind === 'complete') break
  }
  return { path, rest: rule.ref.slice(i) }
}

/**
 * Compiled Rego modules: every rule body compiled once into closures, linked by path.
 * Evaluation is pure; `evaluate` takes input and base data and returns a document.
 */
export class RegoProgram implements Linker {
  private readonly root = newNode()
  private readonly rulesByPkg = new Map<string, Set<string>>()
  private readonly objectPaths = new Set<string>()
  /** Compiled references `evaluate` was asked for, by path. */
  private readonly refs = new Map<string, CTerm>()

  constructor(modules: readonly { file: string; module: Module }[]) {
    for (const { module } of modules) {
      const key = module.pkg.join('.')
      const names = this.rulesByPkg.get(key) ?? new Set<string>()
      for (const r of module.rules) names.add(groundString(r.ref[0] as Term) as string)
      this.rulesByPkg.set(key, names)
    }
    for (const { module } of modules) {
      for (const rule of module.rules) {
        const { path, rest } = headPath(module.pkg, rule)
        if ((rule.kind === 'complete' || rule.kind === 'object') && rest.length > 0)
          this.objectPaths.add(path.join('\u0000'))
      }
    }
    for (const { file, module } of modules) for (const rule of module.rules) this.addRule(file, module, rule)
    for (const { file, module } of modules) {
      const names = this.moduleNames(module)
      for (const rule of module.rules) {
        try {
          this.compileRule(names, rule)
        } catch (error) {
          if (error instanceof RegoError) throw new RegoError(error.code, `${file}: ${error.message}`)
          throw error
        }
      }
    }
  }

  private moduleNames(module: Module): ModuleNames {
    const imports = new Map<string, { root: 'input' | 'data'; path: readonly string[] }>()
    for (const imp of module.imports) {
      const [root, ...path] = imp.path
      if (root === 'input' || root === 'data') imports.set(imp.alias, { root, path })
    }
    return { pkg: module.pkg, rules: this.rulesByPkg.get(module.pkg.join('.')) ?? new Set(), imports }
  }

  private node(path: readonly string[], create: boolean): DataNode | undefined {
    let n = this.root
    for (const p of path) {
      let c = n.children.get(p)
      if (!c) {
        if (!create) return undefined
        c = newNode()
        n.children.set(p, c)
      }
      n = c
    }
    return n
  }

  private addRule(file: string, module: Module, rule: Rule): void {
    const { path, rest } = headPath(module.pkg, rule, this.objectPaths)
    const kind = rule.kind === 'complete' && rest.length > 0 ? 'object' : rule.kind
    const n = this.node(path, true) as DataNode
    if (!n.group) n.group = { path, kind, rules: [] }
    const g = n.group
    if (g.kind !== kind)
      throw new RegoError(
        'rego_type_error',
        `${file}:${rule.line}: conflicting rules data.${path.join('.')} found (${g.kind} and ${kind})`,
      )
    if (kind === 'func') {
      const arity = rule.args?.length ?? 0
      if (g.arity !== undefined && g.arity !== arity)
        throw new RegoError(
          'rego_type_error',
          `${file}:${rule.line}: function data.${path.join('.')} has arity ${arity} and ${g.arity}`,
        )
      g.arity = arity
    }
    if (rule.isDefault) {
      if (g.defaultValue)
        throw new RegoError(
          'rego_type_error',
          `${file}:${rule.line}: multiple default rules data.${path.join('.')} found`,
        )
      g.defaultValue = rule.value as Term
      return
    }
    g.rules.push({ rule, pkg: module.pkg, file })
  }

  private compileRule(names: ModuleNames, rule: Rule): void {
    const { path, rest } = headPath(names.pkg, rule, this.objectPaths)
    const g = (this.node(path, false) as DataNode).group as RuleGroup
    if (rule.isDefault) {
      g.compiledDefault = compileTerm(rule.value as Term, Scope.root(names), this)
      return
    }
    const entry = g.rules.find((r) => r.rule === rule)
    if (!entry) return
    const s = Scope.root(names)
    s.declareLocals(rule.args ?? [])
    s.declareTerms([...rest, rule.key, rule.value])
    const args = rule.args?.map((a) => compilePattern(a, s, this))
    s.declareBody(rule.body)
    const body = compileBody(rule.body, s, this)
    const elses = rule.elses.map((e) => {
      const es = s.child()
      es.declareBody(e.body)
      return { body: compileBody(e.body, es, this), ...(e.value ? { value: compileTerm(e.value, es, this) } : {}) }
    })
    const compiled: CompiledRule = {
      frame: () => s.frameSize,
      ...(args ? { args } : {}),
      body,
      ...(rule.key ? { key: compileTerm(rule.key, s, this) } : {}),
      ...(g.kind === 'object' ? { rest: rest.map((t) => compileTerm(t, s, this)) } : {}),
      ...(rule.value ? { value: compileTerm(rule.value, s, this) } : {}),
      elses,
      line: rule.line,
    }
    entry.compiled = compiled
  }

  /** Linker: a reference into data, through rules where the path meets them. */
  dataRef(path: readonly string[], rest: readonly Term[], s: Scope, _line: number): CTerm {
    let n = this.root
    let i = 0
    while (i < path.length && !n.group) {
      const c = n.children.get(path[i] as string)
      if (!c) break
      n = c
      i++
    }
    const tail: Term[] = [...path.slice(i).map((p): Term => ({ t: 'scalar', v: p, line: 0 })), ...rest]
    const els = compilePath(tail, s, this)
    const group = n.group
    if (group) {
      if (group.kind === 'func') return () => false
      return (f, c, k) => {
        const v = groupValue(group, c)
        return v === undefined ? false : walk(els, 0, v, f, c, k)
      }
    }
    if (i < path.length) {
      const base = path.slice(0, i)
      const elsFromBase = compilePath(tail, s, this)
      return (f, c, k) => {
        let v: Value | undefined = c.data
        for (const p of base) v = v === undefined ? undefined : indexValue(v, p)
        return v === undefined ? false : walk(elsFromBase, 0, v, f, c, k)
      }
    }
    const node = n
    const nodePath = path.slice(0, i)
    return (f, c, k) => walk(els, 0, this.nodeValue(node, nodePath, c), f, c, k)
  }

  /** The virtual document of a data node: base data merged with its rules and sub-packages. */
  private nodeValue(n: DataNode, path: readonly string[], c: Ctx): Value {
    let base: Value | undefined = c.data
    for (const p of path) base = base === undefined ? undefined : indexValue(base, p)
    const entries = new Map<string, Value>()
    if (base !== undefined && isObject(base))
      for (const [k, v] of objectEntries(base)) if (typeof k === 'string') entries.set(k, v)
    for (const [name, child] of n.children) {
      if (child.group) {
        if (child.group.kind === 'func') continue
        const v = groupValue(child.group, c)
        if (v !== undefined) entries.set(name, v)
      } else entries.set(name, this.nodeValue(child, [...path, name], c))
    }
    return makeObject(entries)
  }

  /** Linker: a function by name (user functions first, then built-ins). */
  fn(name: readonly string[], s: Scope, line: number): FnTarget {
    let path: string[] | undefined
    const [first, ...rest] = name as [string, ...string[]]
    if (first === 'data') path = name.slice(1)
    else if (s.names.rules.has(first)) path = [...s.names.pkg, ...name]
    else {
      const imp = s.names.imports.get(first)
      if (imp?.root === 'data') path = [...imp.path, ...rest]
    }
    if (path) {
      const group = this.node(path, false)?.group
      const key = `data.${path.join('.')}`
      if (group?.kind === 'func')
        return { arity: group.arity, invoke: (args, c, k) => callGroup(group, args, c, k), key, kind: 'func' }
      if (group) {
        // `f()` reads a rule defined as a function of no arguments; any other call of a rule is a type error.
        return {
          key,
          kind: 'rule',
          arity: 0,
          invoke: (args, c, k) => {
            if (args.length > 0) throw new RegoError('rego_type_error', `${name.join('.')} is not a function`, line)
            const v = groupValue(group, c)
            return v === undefined ? false : k(v)
          },
        }
      }
    }
    const key = name.join('.')
    const b = Object.hasOwn(BUILTINS, key) ? BUILTINS[key] : undefined
    if (!b) throw new RegoError('rego_type_error', `undefined function ${key}`, line)
    const impl = b.fn
    return {
      key,
      kind: 'builtin',
      arity: b.arity,
      invoke: (args, c, k) => {
        let r: Value | undefined
        try {
          r = impl(args, c)
        } catch (error) {
          if (!(error instanceof BuiltinError)) throw error
          if (c.strict) throw new RegoError(error.code, `${key}: ${error.message}`, line)
          return false
        }
        return r === undefined ? false : k(r)
      },
    }
  }

  body(body: readonly Literal[], s: Scope): (f: Frame, c: Ctx, k: () => boolean) => boolean {
    return compileBody(body, s, this)
  }

  /** A fresh evaluation context. */
  context(input: Value | undefined, data: Value, strict = false): Ctx {
    return { input, data, overrides: [], cache: new Map(), active: new Set(), strict, nowNs: Date.now() * 1e6 }
  }

  /** The value of `data.<path>` (undefined when undefined). */
  evaluate(path: readonly string[], input: Value | undefined, data: Value = {}, strict = false): Value | undefined {
    const c = this.context(input, data, strict)
    const key = path.join('\u0000')
    let ref = this.refs.get(key)
    if (ref === undefined) {
      ref = this.dataRef(path, [], Scope.root({ pkg: [], rules: new Set(), imports: new Map() }), 0)
      this.refs.set(key, ref)
    }
    let out: Value | undefined
    ref([], c, (v) => ((out = v), true))
    return out
  }

  /** Compile a query against the program: its variables and a runner returning their bindings. */
  query(literals: readonly Literal[]): {
    vars: string[]
    run: (input: Value | undefined, data: Value, strict?: boolean) => Record<string, Value>[]
  } {
    const s = Scope.root({ pkg: [], rules: new Set(), imports: new Map() })
    s.declareBody(literals)
    const body = compileBody(literals, s, this)
    const vars: string[] = []
    for (const lit of literals) collectVarNames(lit, vars)
    const named = [...new Set(vars)].filter((v) => v !== '_' && s.lookup(v) !== undefined)
    return {
      vars: named,
      run: (input, data, strict = false) => {
        const c = this.context(input, data, strict)
        const f: Frame = new Array<Value | undefined>(s.frameSize)
        const out: Record<string, Value>[] = []
        body(f, c, () => {
          const row: Record<string, Value> = {}
          for (const v of named) {
            const slot = s.lookup(v) as number
            const x = f[slot]
            if (x !== undefined) row[v] = x
          }
          out.push(row)
          return false
        })
        return out
      },
    }
  }
}

function collectVarNames(lit: Literal, out: string[]): void {
  const visit = (t: Term | undefined): void => {
    if (!t) return
    switch (t.t) {
      case 'var':
        out.push(t.name)
        return
      case 'ref':
        visit(t.head)
        t.path.forEach(visit)
        return
      case 'array':
      case 'set':
        t.items.forEach(visit)
        return
      case 'object':
        t.entries.forEach(([a, b]) => (visit(a), visit(b)))
        return
      case 'call':
        t.args.forEach(visit)
        return
      default:
        return
    }
  }
  const e = lit.expr
  if (e.e === 'term') visit(e.term)
  else if (e.e === 'unify' || e.e === 'assign') {
    visit(e.l)
    visit(e.r)
  } else if (e.e === 'somein') {
    visit(e.key)
    visit(e.value)
  }
}
