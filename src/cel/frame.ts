import type { MergedDecl } from './overloads.js'
import type { ASTNode } from '@marcbachmann/cel-js'
import { CelCompileError, CelCostError, CelEvalError, type Site } from './errors.js'
import { CHECK_EVERY, EvalLimitError, type EvalBudget } from './eval-budget.js'
import { boxDouble } from './runtime-types.js'

/**
 * The state of one evaluation: the activation, comprehension slots, and the cost counter.
 * `limit` is where the next check happens: the expression's own cost limit, or, under an
 * evaluation budget (see cel/eval-budget.ts), the next clock reading, up to `hard`.
 */
export class Frame {
  act: Readonly<Record<string, unknown>>
  steps = 0
  /** The budget of the policy evaluation this program runs in, if any. */
  budget: EvalBudget | undefined = undefined
  /** Most steps this run may take (the expression's own cost limit). */
  hard: number
  /** Steps of this run already added to the budget. */
  reported = 0

  constructor(
    readonly slots: unknown[],
    public limit: number,
    act: Readonly<Record<string, unknown>>,
  ) {
    this.act = act
    this.hard = limit
  }

  /** Start a run within the expression's `limit` and, when given, the evaluation's budget. */
  start(limit: number, budget: EvalBudget | undefined): void {
    this.steps = 0
    this.reported = 0
    this.budget = budget
    this.hard = limit
    this.limit = budget === undefined ? limit : Math.min(limit, CHECK_EVERY, budget.remaining())
  }

  /** Add the steps not yet reported to the budget (at checkpoints and at the end of a run). */
  report(): void {
    if (this.budget === undefined) return
    this.budget.spent += this.steps - this.reported
    this.reported = this.steps
  }
}

/** Marks a frame slot not yet computed in this evaluation (cel.bind variables, memoised paths). */
export const UNSET: unique symbol = Symbol('unset')

/** A compiled node: a closure over the frame. */
export type Ev = (f: Frame) => unknown

/** What compiling a node yields: the closure, its static type, and its value when constant. */
export interface Compiled {
  readonly ev: Ev
  /** Static CEL type name ('int', 'string', 'list', 'optional_type', ..., or 'dyn'). */
  readonly type: string
  readonly constant: boolean
  readonly value?: unknown
  /**
   * The value is data from the activation (plain JSON objects, arrays, primitives),
   * never a CEL wrapper value: field access on it needs no wrapper check.
   */
  readonly json?: boolean
  /** The node just reads this frame slot (a comprehension variable): consumers may inline the read. */
  readonly slot?: number
  /**
   * When the value is a list, its elements are activation data (e.g. the concatenation of
   * two json lists): a comprehension over it binds json variables.
   */
  readonly items?: boolean
}

/** A variable introduced by a comprehension or cel.bind, living in a frame slot. */
export interface Local {
  readonly name: string
  readonly slot: number
  readonly type: string
  readonly next: Local | undefined
  /** For cel.bind: the initialiser, run on first read (the slot holds UNSET until then). */
  readonly init?: Ev
  /** The variable holds activation data (see Compiled.json). */
  readonly json?: boolean
}

/** Memo state for one compilation. */
export interface PathMemo {
  readonly counts: ReadonlyMap<string, number>
  readonly slots: Map<string, number>
}

/** How `variables.<name>` is compiled into an expression that reads it. */
export type InlineVariable =
  /** A value known when compiling: a constant (`json`: it is plain JSON data). */
  | { readonly value: unknown; readonly json?: boolean }
  /** The variable's own expression, evaluated in the reading program on first read. */
  | { readonly expression: string }
  /** A value the caller puts in the activation under `field` (a key no expression can name). */
  | { readonly field: string; readonly json?: boolean }

/** An inline variable with its expression parsed. */
export type ParsedInline =
  Exclude<InlineVariable, { expression: string }> | { readonly expression: string; readonly ast: ASTNode }

/** The inline variables of one compilation: what is declared, and which the expression being compiled may read. */
export interface InlineScope {
  readonly variables: ReadonlyMap<string, ParsedInline>
  /** Names in declaration order: an inlined expression may read only those declared before it. */
  readonly order: readonly string[]
  /** Names readable here (all of them in the top expression, earlier ones inside an inlined one). */
  visible: ReadonlySet<string>
}

/** Compile-time context, threaded through the node compilers. */
export interface Ctx {
  readonly variables: ReadonlySet<string>
  /** Fields of the `variables` object known to hold activation data (CelCompileOptions.dataVariables). */
  readonly dataFields: ReadonlySet<string>
  /** Functions of the caller's environment besides the standard and Kubernetes libraries (CelCompileOptions.functions). */
  readonly functions?: ReadonlyMap<string, MergedDecl>
  locals: Local | undefined
  slotCount: number
  depth: number
  /** Paths into the activation used more than once, and their memo slots. */
  readonly memo: PathMemo
  /** Composition variables compiled into this expression (see inline-variables.ts). */
  readonly inline?: InlineScope
  /** The inlined variables compiled so far, by name (each once per program). */
  readonly inlined: Map<string, Compiled>
  /** Is this name bound by a comprehension or cel.bind here? */
  isLocal(name: string): boolean
  /** Compile a child node in this context. */
  compile(node: ASTNode): Compiled
}

/** The node's offsets in the expression. */
export function siteOf(node: ASTNode): Site {
  return { start: node.start, end: node.end }
}

/** A compile error located at `node`. */
export function compileError(message: string, node: Site): CelCompileError {
  return new CelCompileError(message, node.start, node.end)
}

/** A constant node. */
export function constant(value: unknown, type: string): Compiled {
  return { ev: () => value, type, constant: true, value }
}

const FOLD_FRAME = new Frame([], 100_000, Object.freeze({}))

/**
 * Evaluate `c` at compile time when all its inputs are constant. Evaluation errors
 * are left for run time, where they are reported as CEL errors.
 */
export function foldIf(allConstant: boolean, c: Compiled): Compiled {
  if (!allConstant) return c
  FOLD_FRAME.steps = 0
  try {
    return constant(c.ev(FOLD_FRAME), c.type)
  } catch (error) {
    if (error instanceof CelEvalError) return c
    throw error
  }
}

/** The closure producing the node's value as a dyn value (integral doubles boxed). */
export function dynEv(c: Compiled): Ev {
  if (c.type !== 'double') return c.ev
  if (c.constant) {
    const v = boxDouble(c.value as number)
    return () => v
  }
  const ev = c.ev
  return (f) => boxDouble(ev(f) as number)
}

/** Charge `n` steps against the frame's cost limit (before allocating what they pay for). */
export function charge(f: Frame, n: number): void {
  f.steps += n
  if (f.steps > f.limit) overLimit(f)
}

/**
 * Called when `f.steps` passed `f.limit`. Without a budget that is the expression's cost
 * limit: a CelCostError. Under one, the steps so far go to the budget, which throws an
 * EvalLimitError past its cost limit or deadline (other programs of the same evaluation
 * may have spent from it meanwhile); past the expression's own limit this throws one too.
 */
export function overLimit(f: Frame): void {
  const budget = f.budget
  if (budget === undefined) throw new CelCostError(`evaluation cost limit exceeded (${f.limit} steps)`)
  f.report()
  if (f.steps > f.hard) throw new EvalLimitError('cost', `CEL expression cost limit exceeded (${f.hard} units)`)
  budget.checkpoint()
  f.limit = Math.min(f.hard, f.steps + Math.min(CHECK_EVERY, budget.remaining()))
}
