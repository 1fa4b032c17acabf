import { Environment, type ASTNode } from '@marcbachmann/cel-js'
import { compileHas, compileIndex, compileOptionalSelect, compileSelect } from './compile-access.js'
import { compileCall } from './compile-call.js'
import { fusedHasValue } from './compile-optional-chain.js'
import { compileList, compileLiteral, compileMap } from './compile-literals.js'
import { compileConditional, compileLogical, compileNot } from './compile-logic.js'
import { compileArith, compileCompare, compileEquality, compileIn, compileNegate } from './compile-operators.js'
import { CelCompileError, CelEvalError, evalError } from './errors.js'
import { currentBudget } from './eval-budget.js'
import {
  compileError,
  constant,
  Frame,
  UNSET,
  type Compiled,
  type Ctx,
  type Ev,
  type InlineScope,
  type Local,
} from './frame.js'
import { TYPE_NAMES } from './lib/registry.js'
import { compileBind, compileComprehension, compileOptMap, compileOr } from './macros.js'
import type { MergedDecl } from './overloads.js'
import { countPaths } from './path-memo.js'
import { sharedSum } from './shared-sums.js'
import { wholeVariables } from './lazy-variables.js'
import { CelType } from './values.js'

/** From expression text to a program: parse with cel-js, then compile the AST to closures. */

type AnyNode = ASTNode & { args: never }
const MAX_DEPTH = 400

let environment: Environment | undefined
function parser(): Environment {
  environment ??= new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: true })
  return environment
}

/** Parse an expression; errors come back as CelCompileError. */
export function parseExpression(expression: string): ASTNode {
  try {
    return parser().parse(expression).ast
  } catch (error) {
    const e = error as {
      summary?: unknown
      message?: unknown
      range?: { start: number; end: number }
      node?: { start: number; end: number }
    }
    const where = e.range ?? e.node ?? { start: 0, end: expression.length }
    const message =
      typeof e.summary === 'string'
        ? e.summary
        : typeof e.message === 'string'
          ? e.message.split('\n')[0]
          : String(error)
    throw new CelCompileError(`syntax error: ${message}`, where.start, where.end)
  }
}

function findLocal(ctx: Ctx, name: string): Local | undefined {
  for (let l = ctx.locals; l !== undefined; l = l.next) if (l.name === name) return l
  return undefined
}

/** Is this name bound (a local or a declared variable)? */
function isBound(ctx: Ctx, name: string): boolean {
  return findLocal(ctx, name) !== undefined || ctx.variables.has(name)
}

/** The dotted name of `a.b.c` when `a` is not a bound name, else undefined. */
function qualifiedName(node: ASTNode, ctx: Ctx): string | undefined {
  if (node.op === 'id') return isBound(ctx, node.args) ? undefined : node.args
  if (node.op !== '.') return undefined
  const head = qualifiedName(node.args[0], ctx)
  return head === undefined ? undefined : `${head}.${node.args[1]}`
}

function compileIdentifier(node: ASTNode & { op: 'id' }, ctx: Ctx): Compiled {
  const name = node.args
  const local = findLocal(ctx, name)
  if (local !== undefined) {
    const slot = local.slot
    const init = local.init
    const json = local.json === true
    if (init === undefined) return { ev: (f) => f.slots[slot], type: local.type, constant: false, json, slot }
    const ev: Ev = (f) => {
      let v = f.slots[slot]
      if (v === UNSET) v = f.slots[slot] = init(f)
      return v
    }
    return { ev, type: local.type, constant: false, json }
  }
  if (ctx.variables.has(name)) {
    const where = { start: node.start, end: node.end }
    const ev: Ev = (f) => {
      const v = f.act[name]
      if (v === undefined && !Object.hasOwn(f.act, name))
        throw evalError(`no such attribute: ${name}`).locate(where.start, where.end)
      return v === undefined ? null : v
    }
    // Activation values are plain JSON data, except the lazy `variables` object of CEL results,
    // seen as a plain object when used whole (compile-access.ts reads `variables.x` from its slots).
    if (name === 'variables') return { ev: (f) => wholeVariables(ev(f)), type: 'dyn', constant: false, json: false }
    return { ev, type: 'dyn', constant: false, json: true }
  }
  if (TYPE_NAMES.has(name)) return constant(CelType.of(name), 'type')
  throw compileError(`undeclared reference to '${name}'`, node)
}

const COMPREHENSIONS: Record<
  string,
  readonly [
    kind: 'all' | 'exists' | 'exists_one' | 'map' | 'filter' | 'transformList',
    vars: number,
    exprs: readonly number[],
  ]
> = {
  all: ['all', 1, [1]],
  exists: ['exists', 1, [1]],
  exists_one: ['exists_one', 1, [1]],
  existsOne: ['exists_one', 1, [1]],
  map: ['map', 1, [1, 2]],
  filter: ['filter', 1, [1]],
  transformList: ['transformList', 2, [1, 2]],
}

function compileReceiverCall(node: ASTNode & { op: 'rcall' }, ctx: Ctx): Compiled {
  const [name, target, args] = node.args
  const comprehension = COMPREHENSIONS[name]
  if (comprehension !== undefined) {
    const [kind, vars, exprCounts] = comprehension
    // Predicates also come in a two-variable form: all(i, v, p), exists(k, v, p), ...
    const twoVar = kind !== 'map' && kind !== 'filter' && kind !== 'transformList' && args.length === 3
    const nv = twoVar ? 2 : vars
    if (exprCounts.includes(args.length - nv))
      return compileComprehension(kind, target, args.slice(0, nv), args.slice(nv), node, ctx)
  }
  const q = qualifiedName(target, ctx)
  if (q === 'cel' && name === 'bind' && args.length === 3) return compileBind(args, ctx)
  if (q !== undefined) return compileCall(`${q}.${name}`, false, args, node, ctx)
  if ((name === 'optMap' || name === 'optFlatMap') && args.length === 2)
    return compileOptMap(name === 'optFlatMap', target, args, node, ctx)
  if (name === 'hasValue' && args.length === 0) {
    const fused = fusedHasValue(target, ctx)
    if (fused !== undefined) return fused
  }
  if ((name === 'or' || name === 'orValue') && args.length === 1)
    return compileOr(name === 'orValue', target, args[0] as ASTNode, node, ctx)
  return compileCall(name, true, [target, ...args], node, ctx)
}

function dispatch(node: ASTNode, ctx: Ctx): Compiled {
  const n = node as AnyNode
  switch (node.op) {
    case 'value':
      return compileLiteral(node)
    case 'id':
      return compileIdentifier(node, ctx)
    case '.': {
      const q = qualifiedName(node, ctx)
      if (q !== undefined && TYPE_NAMES.has(q)) return constant(CelType.of(q), 'type')
      return compileSelect(node, ctx)
    }
    case '.?':
      return compileOptionalSelect(node, ctx)
    case '[]':
    case '[?]':
      return compileIndex(node, ctx)
    case 'call':
      if (node.args[0] === 'has') return compileHas(node.args[1], node, ctx)
      return compileCall(node.args[0], false, node.args[1], node, ctx)
    case 'rcall':
      return compileReceiverCall(node, ctx)
    case 'list':
      return compileList(node, ctx)
    case 'map':
      return compileMap(node, ctx)
    case '?:':
      return compileConditional(node, ctx)
    case '||':
    case '&&':
      return compileLogical(node.op === '||', node, ctx)
    case '!_':
      return compileNot(node, ctx)
    case '-_':
      return compileNegate(node, ctx)
    case '+':
      return sharedSum(node, ctx, () => compileArith('+', n, ctx))
    case '-':
    case '*':
    case '/':
    case '%':
      return compileArith(node.op, n, ctx)
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compileCompare(node.op, n, ctx)
    case '==':
    case '!=':
      return compileEquality(node.op === '!=', n, ctx)
    case 'in':
      return compileIn(n, ctx)
    default:
      throw compileError(`unsupported expression`, node)
  }
}

/** Compile a parsed expression into a closure plus the number of frame slots it needs. */
export function compileAst(
  ast: ASTNode,
  variables: readonly string[],
  functions?: ReadonlyMap<string, MergedDecl>,
  dataVariables: readonly string[] = [],
  inline?: InlineScope,
): { root: Compiled; slots: number; memoSlots: number[] } {
  const ctx: Ctx = {
    variables: new Set(variables),
    dataFields: new Set(dataVariables),
    ...(functions === undefined ? {} : { functions }),
    ...(inline === undefined ? {} : { inline }),
    inlined: new Map(),
    locals: undefined,
    slotCount: 0,
    depth: 0,
    memo: { counts: countPaths(ast), slots: new Map() },
    isLocal: (name) => findLocal(ctx, name) !== undefined,
    compile(node) {
      if (++ctx.depth > MAX_DEPTH) throw compileError('expression is nested too deeply', node)
      try {
        return dispatch(node, ctx)
      } finally {
        ctx.depth--
      }
    },
  }
  const root = ctx.compile(ast)
  return { root, slots: ctx.slotCount, memoSlots: [...ctx.memo.slots.values()] }
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({})

/**
 * Wrap a compiled root into a program. A frame is reused between calls (allocated
 * afresh only on re-entry); engine failures such as stack or string-size exhaustion
 * surface as CelEvalError.
 */
export function makeProgram(
  root: Compiled,
  slots: number,
  memoSlots: readonly number[],
  limit: number,
): (activation: Readonly<Record<string, unknown>>) => unknown {
  const ev = root.ev
  const memoCount = memoSlots.length
  let spare: Frame | undefined = new Frame(new Array<unknown>(slots).fill(undefined), limit, EMPTY)
  return (activation) => {
    let f = spare
    if (f === undefined) f = new Frame(new Array<unknown>(slots).fill(undefined), limit, activation)
    else {
      spare = undefined
      f.act = activation
    }
    const budget = currentBudget()
    f.start(limit, budget)
    for (let i = 0; i < memoCount; i++) f.slots[memoSlots[i] as number] = UNSET
    try {
      return ev(f)
    } catch (error) {
      if (error instanceof RangeError && !(error instanceof CelEvalError))
        throw new CelEvalError(`evaluation exceeded resource limits: ${error.message}`)
      throw error
    } finally {
      f.report()
      f.act = EMPTY
      f.budget = undefined
      spare = f
    }
  }
}
