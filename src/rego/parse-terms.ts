import type { Expr, Literal, Term, With } from './ast.js'
import { RegoSyntaxError, type Token } from './lexer.js'

const BINARY_LEVELS: readonly Readonly<Record<string, string>>[] = [
  { '|': 'or' },
  { '&': 'and' },
  { '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' },
  { '+': 'plus', '-': 'minus' },
  { '*': 'mul', '/': 'div', '%': 'rem' },
]

/** Terms, expressions and bodies of Rego (shared by module and query parsing). */
export class TermParser {
  private pos = 0
  constructor(private readonly tokens: Token[]) {}

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token
  }

  protected next(): Token {
    const t = this.peek()
    if (this.pos < this.tokens.length - 1) this.pos++
    return t
  }

  protected error(t: Token, message: string): RegoSyntaxError {
    return new RegoSyntaxError(
      `${message} (found ${t.kind === 'eof' ? 'end of input' : JSON.stringify(t.text)})`,
      t.line,
      t.col,
    )
  }

  protected isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset)
    return t.kind === 'punct' && t.text === p
  }

  protected isIdent(name: string, offset = 0): boolean {
    const t = this.peek(offset)
    return t.kind === 'ident' && t.text === name
  }

  protected expectPunct(p: string): Token {
    const t = this.next()
    if (t.kind !== 'punct' || t.text !== p) throw this.error(t, `expected "${p}"`)
    return t
  }

  protected expectIdent(name: string): Token {
    const t = this.next()
    if (t.kind !== 'ident' || t.text !== name) throw this.error(t, `expected "${name}"`)
    return t
  }

  protected ident(): string {
    const t = this.next()
    if (t.kind !== 'ident') throw this.error(t, 'expected a name')
    return t.text
  }

  /** Literals until `end` ('}' is consumed; 'eof' is not). */
  bodyUntil(end: '}' | 'eof'): Literal[] {
    const out: Literal[] = []
    const atEnd = (): boolean => (end === 'eof' ? this.peek().kind === 'eof' : this.isPunct('}'))
    while (!atEnd()) {
      out.push(this.literal())
      if (this.isPunct(';')) this.next()
      else if (!atEnd() && !this.peek().nlBefore)
        throw this.error(this.peek(), 'expected a new line or ";" between expressions')
    }
    if (end === '}') this.next()
    return out
  }

  protected literal(): Literal {
    const start = this.peek()
    let negated = false
    let expr: Expr
    if (this.isIdent('some')) {
      this.next()
      expr = this.someDecl()
    } else if (this.isIdent('every')) {
      this.next()
      expr = this.everyDecl()
    } else {
      if (this.isIdent('not')) {
        this.next()
        negated = true
      }
      const l = this.expr()
      if (this.isPunct('=') && !this.peek().nlBefore) {
        this.next()
        expr = { e: 'unify', l, r: this.expr() }
      } else if (this.isPunct(':=') && !this.peek().nlBefore) {
        this.next()
        expr = { e: 'assign', l, r: this.expr() }
      } else expr = { e: 'term', term: this.member3(l) }
    }
    const withs: With[] = []
    while (this.isIdent('with') && !this.peek().nlBefore) {
      this.next()
      const target = this.orLevel(0)
      this.expectIdent('as')
      withs.push({ target, value: this.orLevel(0) })
    }
    return { expr, negated, withs, line: start.line }
  }

  /** `k, v in xs` after its first term has been parsed (or the term itself). */
  private member3(k: Term): Term {
    if (!this.isPunct(',')) return k
    this.next()
    const v = this.orLevel(0)
    const line = this.expectIdent('in').line
    // `k, v in xs in ys` is `(k, v in xs) in ys`, as in OPA.
    return this.continueIn({ t: 'call', fn: ['internal', 'member_3'], args: [k, v, this.orLevel(0)], line })
  }

  private someDecl(): Expr {
    const first = this.orLevel(0)
    if (this.isPunct(',')) {
      const vars = [first]
      while (this.isPunct(',')) {
        this.next()
        vars.push(this.orLevel(0))
      }
      if (this.isIdent('in')) {
        this.next()
        if (vars.length !== 2) throw this.error(this.peek(), '"some k, v in xs" takes two variables')
        return { e: 'somein', key: vars[0] as Term, value: vars[1] as Term, coll: this.orLevel(0) }
      }
      return { e: 'some', vars: vars.map((v) => this.varName(v)) }
    }
    if (this.isIdent('in')) {
      this.next()
      return { e: 'somein', value: first, coll: this.orLevel(0) }
    }
    if (first.t === 'call' && first.fn.join('.') === 'internal.member_2')
      return { e: 'somein', value: first.args[0] as Term, coll: first.args[1] as Term }
    return { e: 'some', vars: [this.varName(first)] }
  }

  private varName(t: Term): string {
    if (t.t !== 'var') throw new RegoSyntaxError('expected a variable after "some"', t.line, 1)
    return t.name
  }

  private everyDecl(): Expr {
    const first = this.orLevel(0)
    let key: Term | undefined
    let value = first
    if (this.isPunct(',')) {
      this.next()
      key = first
      value = this.orLevel(0)
    }
    this.expectIdent('in')
    const coll = this.orLevel(0)
    this.expectPunct('{')
    const body = this.bodyUntil('}')
    return { e: 'every', ...(key ? { key } : {}), value, coll, body }
  }

  /** An expression: binary operators, then `in`. */
  expr(): Term {
    let l = this.orLevel(0)
    while (this.isIdent('in') && !this.peek().nlBefore) {
      const line = this.next().line
      l = { t: 'call', fn: ['internal', 'member_2'], args: [l, this.orLevel(0)], line }
    }
    return l
  }

  protected orLevel(level: number): Term {
    if (level >= BINARY_LEVELS.length) return this.unary()
    const ops = BINARY_LEVELS[level] as Readonly<Record<string, string>>
    let l = this.orLevel(level + 1)
    for (;;) {
      const t = this.peek()
      if (t.kind !== 'punct' || t.nlBefore || !Object.hasOwn(ops, t.text)) return l
      this.next()
      const r = this.orLevel(level + 1)
      l = { t: 'call', fn: [ops[t.text] as string], args: [l, r], line: t.line }
    }
  }

  private unary(): Term {
    const t = this.peek()
    if (t.kind === 'punct' && t.text === '-') {
      this.next()
      const n = this.peek()
      if (n.kind === 'number' && !n.wsBefore) {
        this.next()
        return this.postfix({ t: 'scalar', v: numberLiteral(n.text, true), line: n.line })
      }
      return { t: 'call', fn: ['minus'], args: [{ t: 'scalar', v: 0, line: t.line }, this.unary()], line: t.line }
    }
    return this.postfix(this.primary())
  }

  private primary(): Term {
    const t = this.next()
    const line = t.line
    if (t.kind === 'number') return { t: 'scalar', v: numberLiteral(t.text, false), line }
    if (t.kind === 'string') return { t: 'scalar', v: t.text, line }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') return { t: 'scalar', v: t.text === 'true', line }
      if (t.text === 'null') return { t: 'scalar', v: null, line }
      if (t.text === 'set' && this.isPunct('(') && this.isPunct(')', 1)) {
        this.next()
        this.next()
        return { t: 'set', items: [], line }
      }
      return { t: 'var', name: t.text, line }
    }
    if (t.kind === 'punct') {
      if (t.text === '(') {
        const e = this.expr()
        const m = this.member3(e)
        this.expectPunct(')')
        return m
      }
      if (t.text === '[') return this.arrayLike(line)
      if (t.text === '{') return this.braceLike(line)
    }
    throw this.error(t, 'expected a term')
  }

  private arrayLike(line: number): Term {
    if (this.isPunct(']')) {
      this.next()
      return { t: 'array', items: [], line }
    }
    const first = this.orLevel(1)
    if (this.isPunct('|')) {
      this.next()
      const body = this.bodyUntilClose(']')
      return { t: 'arraycomp', head: first, body, line }
    }
    const items = [this.continueIn(first)]
    while (this.isPunct(',')) {
      this.next()
      if (this.isPunct(']')) break
      items.push(this.expr())
    }
    this.expectPunct(']')
    return { t: 'array', items, line }
  }

  private braceLike(line: number): Term {
    if (this.isPunct('}')) {
      this.next()
      return { t: 'object', entries: [], line }
    }
    const first = this.continueIn(this.orLevel(1))
    if (this.isPunct('|')) {
      this.next()
      return { t: 'setcomp', head: first, body: this.bodyUntilClose('}'), line }
    }
    if (this.isPunct(':')) {
      this.next()
      const v = this.orLevel(1)
      if (this.isPunct('|')) {
        this.next()
        return { t: 'objcomp', key: first, value: v, body: this.bodyUntilClose('}'), line }
      }
      const entries: [Term, Term][] = [[first, this.continueIn(this.continueOr(v))]]
      while (this.isPunct(',')) {
        this.next()
        if (this.isPunct('}')) break
        const k = this.expr()
        this.expectPunct(':')
        entries.push([k, this.expr()])
      }
      this.expectPunct('}')
      return { t: 'object', entries, line }
    }
    const items = [this.continueOr(first)]
    while (this.isPunct(',')) {
      this.next()
      if (this.isPunct('}')) break
      items.push(this.expr())
    }
    this.expectPunct('}')
    return { t: 'set', items, line }
  }

  /** Comprehension body: literals until the closing bracket. */
  private bodyUntilClose(close: ']' | '}'): Literal[] {
    const out: Literal[] = []
    while (!this.isPunct(close)) {
      out.push(this.literal())
      if (this.isPunct(';')) this.next()
    }
    this.next()
    return out
  }

  /** Finish an `|` expression whose first operand was parsed without it. */
  private continueOr(l: Term): Term {
    let out = l
    while (this.isPunct('|') && !this.peek().nlBefore) {
      const line = this.next().line
      out = { t: 'call', fn: ['or'], args: [out, this.orLevel(1)], line }
    }
    return out
  }

  private continueIn(l: Term): Term {
    let out = l
    while (this.isIdent('in') && !this.peek().nlBefore) {
      const line = this.next().line
      out = { t: 'call', fn: ['internal', 'member_2'], args: [out, this.orLevel(0)], line }
    }
    return out
  }

  /** Reference continuations (`.x`, `[t]`) and calls, adjacent to the term. */
  private postfix(base: Term): Term {
    let term = base
    for (;;) {
      const t = this.peek()
      if (t.kind !== 'punct' || t.wsBefore) return term
      if (t.text === '.') {
        this.next()
        const name = this.next()
        if (name.kind !== 'ident') throw this.error(name, 'expected a name after "."')
        term = appendPath(term, { t: 'scalar', v: name.text, line: name.line })
      } else if (t.text === '[') {
        this.next()
        const index = this.expr()
        this.expectPunct(']')
        term = appendPath(term, index)
      } else if (t.text === '(') {
        const fn = callName(term)
        if (fn === undefined) return term
        this.next()
        const args: Term[] = []
        while (!this.isPunct(')')) {
          args.push(this.expr())
          if (!this.isPunct(')')) this.expectPunct(',')
        }
        this.next()
        term = { t: 'call', fn, args, line: t.line }
      } else return term
    }
  }
}

function appendPath(term: Term, el: Term): Term {
  if (term.t === 'ref') return { ...term, path: [...term.path, el] }
  return { t: 'ref', head: term, path: [el], line: term.line }
}

function callName(term: Term): string[] | undefined {
  if (term.t === 'var') return [term.name]
  if (term.t === 'ref' && term.head.t === 'var') {
    const out = [term.head.name]
    for (const p of term.path) {
      if (p.t !== 'scalar' || typeof p.v !== 'string') return undefined
      out.push(p.v)
    }
    return out
  }
  return undefined
}

/** A number literal: an integer beyond 2^53 stays exact (a bigint), as OPA keeps it; anything else is a JS number. */
function numberLiteral(text: string, negative: boolean): number | bigint {
  const n = Number(text)
  if (/^\d+$/.test(text) && !Number.isSafeInteger(n)) return negative ? -BigInt(text) : BigInt(text)
  return negative ? -n : n
}
