import type { ASTNode } from '@marcbachmann/cel-js'
import { CelCostError, CelEvalError, type Site } from './errors.js'
import {
  constant,
  UNSET,
  type Compiled,
  type Ctx,
  type Ev,
  type InlineScope,
  type InlineVariable,
  type ParsedInline,
} from './frame.js'

export type { InlineVariable } from './frame.js'

/**
 * Composition variables compiled into the expressions that read them (CelCompileOptions.
 * inlineVariables). A runner that reads `variables.x` through a getter pays, per read, a
 * property call, its own bookkeeping and a whole program run (frame, budget, error
 * wrapping) for x; inlined, x is a frame slot of the reading program, computed on first
 * read and reset when the program starts: the same laziness and at-most-once evaluation
 * per program run, with none of that overhead. A variable known before evaluation (a
 * function of the params alone) is a compile-time constant, so the expressions reading it
 * fold as they would on a literal.
 */

/**
 * The scope of one compilation; `parse` parses an expression (throwing on bad syntax). A
 * variable whose expression does not parse is left out: its reads go through the activation,
 * where its own program reports the error.
 */
export function inlineScope(
  variables: ReadonlyMap<string, InlineVariable>,
  parse: (expression: string) => ASTNode,
): InlineScope {
  const parsed = new Map<string, ParsedInline>()
  for (const [name, v] of variables) {
    if (!('expression' in v)) parsed.set(name, v)
    else
      try {
        parsed.set(name, { expression: v.expression, ast: parse(v.expression) })
      } catch {
        // Left out (see above).
      }
  }
  const order = [...parsed.keys()]
  return { variables: parsed, order, visible: new Set(order) }
}

/** The compiled read of `variables.<name>` when it is inlined here, else undefined (read through the activation). */
export function compileInlineVariable(ctx: Ctx, name: string, site: Site): Compiled | undefined {
  const scope = ctx.inline
  if (scope === undefined || !scope.visible.has(name)) return undefined
  const v = scope.variables.get(name) as ParsedInline
  if ('value' in v) return { ...constant(v.value, 'dyn'), json: v.json === true }
  if ('field' in v) {
    const field = v.field
    return { ev: (f) => f.act[field] ?? null, type: 'dyn', constant: false, json: v.json === true }
  }
  const known = ctx.inlined.get(name)
  if (known !== undefined) return known
  const init = compileDetached(ctx, name, v.ast)
  // A memo slot, reset when the program starts: the value lives for one run. Its own key: a
  // read of the same name through the activation (inside a variable declared before it) is another read.
  const slot = ctx.slotCount++
  ctx.memo.slots.set(`\u0000inline ${name}`, slot)
  const I = init.ev
  const expression = v.expression.trim()
  const compute: Ev = (f) => {
    try {
      return I(f)
    } catch (error) {
      throw variableError(error, name, expression, site)
    }
  }
  const ev: Ev = (f) => {
    const x = f.slots[slot]
    if (x !== UNSET) return x
    return (f.slots[slot] = compute(f))
  }
  const c: Compiled = { ev, type: init.type, constant: false, json: init.json === true }
  ctx.inlined.set(name, c)
  return c
}

/** Compile a variable's expression where it is read: none of the reader's locals, only the variables declared before it. */
function compileDetached(ctx: Ctx, name: string, ast: ASTNode): Compiled {
  const scope = ctx.inline as InlineScope
  const locals = ctx.locals
  const visible = scope.visible
  ctx.locals = undefined
  scope.visible = new Set(scope.order.slice(0, scope.order.indexOf(name)))
  try {
    return ctx.compile(ast)
  } finally {
    ctx.locals = locals
    scope.visible = visible
  }
}

/** An error of an inlined variable, named as the variable's (its offsets are in the variable's text, not the reader's). */
function variableError(error: unknown, name: string, expression: string, site: Site): unknown {
  if (!(error instanceof CelEvalError) || error instanceof CelCostError) return error
  return new CelEvalError(`variables.${name} ("${expression}") failed: ${error.message}`, site.start, site.end)
}
