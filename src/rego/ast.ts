/** The syntax tree of a Rego module, as the parser builds it and the compiler reads it. */

export type Scalar = null | boolean | number | bigint | string

export type Term =
  | { t: 'scalar'; v: Scalar; line: number }
  | { t: 'var'; name: string; line: number }
  /** A reference: `head` followed by path elements (`.x` is the string "x", `[t]` a term). */
  | { t: 'ref'; head: Term; path: Term[]; line: number }
  | { t: 'array'; items: Term[]; line: number }
  | { t: 'set'; items: Term[]; line: number }
  | { t: 'object'; entries: [Term, Term][]; line: number }
  | { t: 'arraycomp' | 'setcomp'; head: Term; body: Literal[]; line: number }
  | { t: 'objcomp'; key: Term; value: Term; body: Literal[]; line: number }
  /** A call of a built-in or user function named by a dotted path (operators included: `plus`, `equal`, ...). */
  | { t: 'call'; fn: string[]; args: Term[]; line: number }

export type Expr =
  | { e: 'term'; term: Term }
  | { e: 'unify'; l: Term; r: Term }
  | { e: 'assign'; l: Term; r: Term }
  | { e: 'some'; vars: string[] }
  | { e: 'somein'; key?: Term; value: Term; coll: Term }
  | { e: 'every'; key?: Term; value: Term; coll: Term; body: Literal[] }

export interface With {
  target: Term
  value: Term
}

export interface Literal {
  expr: Expr
  negated: boolean
  withs: With[]
  line: number
}

export type RuleKind = 'complete' | 'set' | 'object' | 'func'

export interface ElseClause {
  value?: Term
  body: Literal[]
  line: number
}

export interface Rule {
  /** Head reference: the first element is the rule name (a string scalar), then path elements. */
  ref: Term[]
  kind: RuleKind
  args?: Term[]
  /** The element of a multi-value (set) rule. */
  key?: Term
  /** The value of a complete, object or function rule (true when omitted). */
  value?: Term
  isDefault: boolean
  body: Literal[]
  elses: ElseClause[]
  line: number
}

export interface Import {
  path: string[]
  alias: string
  line: number
}

export interface Module {
  pkg: string[]
  imports: Import[]
  rules: Rule[]
}

/** Walk a term and its sub-terms (not into comprehension bodies). */
export function termVars(term: Term, out: Set<string>): void {
  switch (term.t) {
    case 'var':
      out.add(term.name)
      return
    case 'ref':
      termVars(term.head, out)
      for (const p of term.path) termVars(p, out)
      return
    case 'array':
    case 'set':
      for (const i of term.items) termVars(i, out)
      return
    case 'object':
      for (const [k, v] of term.entries) {
        termVars(k, out)
        termVars(v, out)
      }
      return
    case 'call':
      for (const a of term.args) termVars(a, out)
      return
    default:
      return
  }
}
