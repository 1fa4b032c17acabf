import {
  compileCel,
  DEFAULT_EVAL_COST,
  DEFAULT_EVAL_TIMEOUT_MS,
  VAP_VARIABLES,
  withBudget,
  type CelCompileOptions,
} from '../../engine/index.js'
import type { CelBody, CelValidation, NamedCel } from '../shared/cel-body.js'
import { celEval, type CompiledCel } from '../shared/cel-program.js'

/**
 * A template's CEL specialised for one constraint: every expression recompiled with the
 * composition variables inlined (cel/inline-variables.ts). A variable that is a function of
 * the constraint alone becomes a constant, so what reads it folds; `anyObject` is a field
 * the runner sets natively; every other variable is evaluated inside the expression that
 * reads it, lazily and at most once per run of that expression.
 *
 * Which variables are functions of the constraint alone is observed, never guessed from the
 * text: each is evaluated once, in order, on an activation where reading the object, the old
 * object, the request, the namespace or a variable not known to be constant stops the
 * evaluation. One that completes read only the params and constants, and CEL is
 * deterministic. One that fails for any reason is not a constant: it is inlined and fails
 * where it is read, as it would through the activation.
 */

/** The activation key of `variables.anyObject`: not an identifier, so no expression can name it. */
export const ANY_OBJECT_FIELD = ' anyObject'

/** Thrown by the probe when a variable reads the review. */
class ReadsReview extends Error {}

type Inline = NonNullable<CelCompileOptions['inlineVariables']>
type InlineVariable = Inline extends ReadonlyMap<string, infer V> ? V : never

const PER_REVIEW = ['object', 'oldObject', 'request', 'namespaceObject'] as const
const PROBE_LIMITS = { cost: DEFAULT_EVAL_COST, timeoutMs: DEFAULT_EVAL_TIMEOUT_MS, clock: () => performance.now() }

/**
 * The variables of `body` as inline variables for a constraint with `params`. `anyObject`
 * is the index of Gatekeeper's own anyObject variable (-1 when the template has none). A
 * name declared twice is left out: its reads go through the activation, as before.
 */
export function inlineVariables(body: CelBody, params: unknown, anyObject: number): Inline {
  const names = body.variables.map((v) => v.name)
  const unique = (name: string): boolean => names.indexOf(name) === names.lastIndexOf(name)
  const known = new Map<string, unknown>()
  const probe: Record<string, unknown> = { params, variables: probeVariables(names, known) }
  for (const name of PER_REVIEW)
    Object.defineProperty(probe, name, {
      enumerable: true,
      get: () => {
        throw new ReadsReview()
      },
    })
  const out = new Map<string, InlineVariable>()
  body.variables.forEach((v, i) => {
    if (!unique(v.name)) return
    if (i === anyObject) {
      out.set(v.name, { field: ANY_OBJECT_FIELD, json: v.cel.json === true })
      return
    }
    const value = constantValue(v, probe)
    if (value.constant) {
      known.set(v.name, value.value)
      out.set(v.name, { value: value.value, json: v.cel.json === true })
    } else out.set(v.name, { expression: v.cel.expression })
  })
  return out
}

/** `variables` of the probe: constants so far read as their value; anything else stops the evaluation. */
function probeVariables(names: readonly string[], known: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const variables: Record<string, unknown> = {}
  for (const name of new Set(names))
    Object.defineProperty(variables, name, {
      enumerable: true,
      get: () => {
        if (!known.has(name)) throw new ReadsReview()
        return known.get(name)
      },
    })
  return variables
}

function constantValue(v: NamedCel, probe: Record<string, unknown>): { constant: boolean; value?: unknown } {
  try {
    // Its own budget: the probe is not part of the evaluation that happens to build the runner.
    return { constant: true, value: withBudget(PROBE_LIMITS, () => celEval(v.cel, probe)) }
  } catch {
    // Read the review, failed, or ran out of budget: not a constant (see above).
    return { constant: false }
  }
}

/** `body` with its conditions, validations and messages recompiled on `inline`; an expression that does not compile so keeps its program. */
export function inlinedBody(body: CelBody, inline: Inline): CelBody {
  const names = body.variables.map((v) => v.name)
  const data = body.variables
    .filter((v) => v.cel.json === true && names.indexOf(v.name) === names.lastIndexOf(v.name))
    .map((v) => v.name)
  const expressions = [...inline.values()].filter((v) => 'expression' in v).length
  const recompile = (c: CompiledCel): CompiledCel => {
    if (typeof c.program !== 'function') return c
    const r = compileCel(c.expression, {
      variables: VAP_VARIABLES,
      dataVariables: data,
      inlineVariables: inline,
      // Each inlined variable had a program, with a cost limit, of its own.
      costLimit: 1_000_000 * (1 + expressions),
    })
    return r.ok ? { ...c, program: r.program } : c
  }
  const named = (n: NamedCel): NamedCel => ({ ...n, cel: recompile(n.cel) })
  const validation = (v: CelValidation): CelValidation => ({
    ...v,
    cel: recompile(v.cel),
    ...(v.messageCel === undefined ? {} : { messageCel: recompile(v.messageCel) }),
  })
  return { ...body, matchConditions: body.matchConditions.map(named), validations: body.validations.map(validation) }
}
