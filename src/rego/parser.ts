import type { ElseClause, Import, Literal, Module, Rule, RuleKind, Term } from './ast.js'
import { lex, RegoSyntaxError, type Token } from './lexer.js'
import { TermParser } from './parse-terms.js'

/**
 * Rego module parser, v0 and v1 syntax: `package`, `import`, rules with `default`, `if`,
 * `contains`, `else`, ref heads (`a.b[c] := v`), functions, and multiple bodies (v0).
 * Bodies and terms are parsed by TermParser.
 */
export function parseModule(src: string): Module {
  return new ModuleParser(lex(src)).module()
}

/** Parse a query (literals separated by `;` or newlines), as OPA's compliance cases give them. */
export function parseQuery(src: string): Literal[] {
  const p = new ModuleParser(lex(src))
  const body = p.bodyUntil('eof')
  return body
}

class ModuleParser extends TermParser {
  constructor(tokens: Token[]) {
    super(tokens)
  }

  module(): Module {
    this.expectIdent('package')
    const pkg = this.refPath()
    const imports: Import[] = []
    while (this.isIdent('import')) imports.push(this.importDecl())
    const rules: Rule[] = []
    while (this.peek().kind !== 'eof') rules.push(...this.rule())
    return { pkg, imports, rules }
  }

  /** A dotted path of names, `[string]` allowed: `a.b["c"]`. */
  private refPath(): string[] {
    const out = [this.ident()]
    for (;;) {
      const t = this.peek()
      if (t.kind === 'punct' && t.text === '.' && !t.wsBefore) {
        this.next()
        out.push(this.ident())
      } else if (t.kind === 'punct' && t.text === '[' && !t.wsBefore) {
        this.next()
        const s = this.next()
        if (s.kind !== 'string') throw this.error(s, 'expected a string in a path')
        out.push(s.text)
        this.expectPunct(']')
      } else return out
    }
  }

  private importDecl(): Import {
    const line = this.next().line
    const path = this.refPath()
    let alias = path[path.length - 1] as string
    if (this.isIdent('as')) {
      this.next()
      alias = this.ident()
    }
    return { path, alias, line }
  }

  private rule(): Rule[] {
    const start = this.peek()
    const isDefault = this.isIdent('default')
    if (isDefault) this.next()
    const name = this.ident()
    const ref: Term[] = [{ t: 'scalar', v: name, line: start.line }]
    for (;;) {
      const t = this.peek()
      if (t.kind === 'punct' && t.text === '.' && !t.wsBefore) {
        this.next()
        ref.push({ t: 'scalar', v: this.ident(), line: t.line })
      } else if (t.kind === 'punct' && t.text === '[' && !t.wsBefore) {
        this.next()
        ref.push(this.expr())
        this.expectPunct(']')
      } else break
    }
    let args: Term[] | undefined
    if (this.isPunct('(') && !this.peek().wsBefore) {
      this.next()
      args = []
      while (!this.isPunct(')')) {
        args.push(this.expr())
        if (!this.isPunct(')')) this.expectPunct(',')
      }
      this.next()
    }
    // `f() = x { ... }`: a function of no arguments is a rule, read with or without `()`.
    if (args?.length === 0) args = undefined
    let kind: RuleKind = args ? 'func' : 'complete'
    let key: Term | undefined
    let value: Term | undefined
    if (this.isIdent('contains') && !this.peek().nlBefore) {
      this.next()
      key = this.expr()
      kind = 'set'
    } else if ((this.isPunct('=') || this.isPunct(':=')) && !this.peek().nlBefore) {
      this.next()
      value = this.expr()
    }
    if (kind === 'complete' && ref.length > 1) {
      const last = ref[ref.length - 1] as Term
      if (value === undefined && !isGround(last)) {
        // v0 partial set `p[x] { ... }`.
        kind = 'set'
        key = last
        ref.pop()
      } else if (!ref.slice(1).every(isGround)) kind = 'object'
    }
    if (isDefault) {
      if (value === undefined) throw this.error(start, 'default rule needs a value')
      return [{ ref, kind, ...(args ? { args } : {}), value, isDefault, body: [], elses: [], line: start.line }]
    }
    const bodies: Literal[][] = []
    const sameLine = !this.peek().nlBefore
    if (this.isIdent('if') && sameLine) {
      this.next()
      bodies.push(this.isPunct('{') ? this.block() : [this.literal()])
    } else if (this.isPunct('{') && sameLine) {
      bodies.push(this.block())
      while (this.isPunct('{')) bodies.push(this.block())
    } else bodies.push([])
    const elses: ElseClause[] = []
    while (this.isIdent('else')) {
      const line = this.next().line
      let ev: Term | undefined
      if (this.isPunct('=') || this.isPunct(':=')) {
        this.next()
        ev = this.expr()
      }
      let body: Literal[] = []
      if (this.isIdent('if')) {
        this.next()
        body = this.isPunct('{') ? this.block() : [this.literal()]
      } else if (this.isPunct('{')) body = this.block()
      elses.push({ ...(ev ? { value: ev } : {}), body, line })
    }
    const base = {
      ref,
      kind,
      ...(args ? { args } : {}),
      ...(key ? { key } : {}),
      ...(value ? { value } : {}),
      isDefault: false,
      line: start.line,
    }
    return bodies.map((body, i) => ({ ...base, body, elses: i === 0 ? elses : [] }))
  }

  private block(): Literal[] {
    this.expectPunct('{')
    return this.bodyUntil('}')
  }
}

function isGround(t: Term): boolean {
  switch (t.t) {
    case 'scalar':
      return true
    case 'array':
    case 'set':
      return t.items.every(isGround)
    case 'object':
      return t.entries.every(([k, v]) => isGround(k) && isGround(v))
    default:
      return false
  }
}

export { RegoSyntaxError }
