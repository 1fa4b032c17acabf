import type { KubeObject } from '../../core/index.js'
import { evaluateCelActivation, evaluateCelBody, type CelBody, type CelOutcome } from '../shared/cel-body.js'
import { celEval } from '../shared/cel-program.js'

/** What one evaluation of a constraint's CEL sees besides its params. */
export interface CelReview {
  object: KubeObject | null
  oldObject: KubeObject | null
  request: Record<string, unknown>
  namespaceObject: KubeObject | null
}

/** The activation inputs that change from one evaluation to the next. */
const PER_REVIEW = ['object', 'oldObject', 'request', 'namespaceObject'] as const

/**
 * A template's K8sNativeValidation bound to one constraint, run on many reviews. Its
 * activation and `variables` object are built once, not per evaluation: the inputs of the
 * review are swapped in, and each variable is evaluated lazily, at most once per
 * evaluation, in the order it is read, its error rethrown on every read (as VAP variables).
 *
 * A variable whose evaluation read nothing of the review (only `params` and variables of
 * that kind: Gatekeeper's `variables.params` and the lists templates derive from the
 * parameters) is a function of the constraint alone, since CEL is deterministic: its value
 * is kept for the later evaluations of this constraint. Which variables those are is
 * observed while evaluating (every read of a review input marks the variables being
 * evaluated), never guessed from the text. Only successful values are kept.
 */
export class ConstraintCel {
  readonly body: CelBody
  readonly #activation: Record<string, unknown>
  #review: CelReview | undefined
  /** The current evaluation; per-evaluation states of variables carry the epoch they belong to. */
  #epoch = 0
  /** Whether the variable being evaluated has read the review (directly or through a variable). */
  #dynamic = false
  readonly #constant: boolean[]
  readonly #epochOf: number[]
  readonly #failed: boolean[]
  readonly #values: unknown[]
  #busy = false

  constructor(body: CelBody, params: unknown) {
    this.body = body
    const n = body.variables.length
    this.#constant = new Array<boolean>(n).fill(false)
    this.#epochOf = new Array<number>(n).fill(-1)
    this.#failed = new Array<boolean>(n).fill(false)
    this.#values = new Array<unknown>(n).fill(undefined)
    const activation: Record<string, unknown> = { params }
    for (const name of PER_REVIEW)
      Object.defineProperty(activation, name, {
        enumerable: true,
        get: () => {
          this.#dynamic = true
          return this.#review?.[name] ?? null
        },
      })
    const variables: Record<string, unknown> = {}
    body.variables.forEach((v, i) => {
      Object.defineProperty(variables, v.name, { enumerable: true, get: () => this.#read(i) })
    })
    activation.variables = variables
    this.#activation = activation
  }

  #read(i: number): unknown {
    if (this.#constant[i] === true) return this.#values[i]
    if (this.#epochOf[i] === this.#epoch) {
      this.#dynamic = true
      if (this.#failed[i] === true) throw this.#values[i]
      return this.#values[i]
    }
    const outer = this.#dynamic
    this.#dynamic = false
    let value: unknown
    let failed = false
    try {
      value = celEval((this.body.variables[i] as CelBody['variables'][number]).cel, this.#activation)
    } catch (error) {
      value = error
      failed = true
    }
    const dynamic = this.#dynamic || failed
    this.#dynamic = outer || dynamic
    this.#values[i] = value
    if (!dynamic) {
      this.#constant[i] = true
      return value
    }
    this.#epochOf[i] = this.#epoch
    this.#failed[i] = failed
    if (failed) throw value
    return value
  }

  /** Evaluate the body on one review (as evaluateCelBody would, with this constraint as params). */
  run(review: CelReview): CelOutcome {
    // Evaluations do not nest; if one ever did, it gets an activation of its own.
    if (this.#busy) return evaluateCelBody(this.body, { ...review, params: this.#activation.params })
    this.#busy = true
    this.#review = review
    this.#epoch++
    this.#dynamic = false
    try {
      return evaluateCelActivation(this.body, this.#activation)
    } finally {
      this.#review = undefined
      this.#busy = false
    }
  }
}
