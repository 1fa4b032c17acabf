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

/** What is known of a variable: nothing yet, a function of the constraint alone, or of the review. */
const enum Kind {
  Unknown,
  Constant,
  Dynamic,
}

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
 * observed the first time each is evaluated, on a probe activation whose review inputs
 * note that they were read (never guessed from the text); later evaluations read plain
 * data. Only successful values are kept.
 */
export class ConstraintCel {
  readonly body: CelBody
  /** The activation expressions run on: plain data, the review's inputs stored per evaluation. */
  readonly #activation: Record<string, unknown>
  /** The same inputs behind getters that mark the variable being evaluated as reading the review. */
  readonly #probe: Record<string, unknown>
  #review: CelReview | undefined
  /** The current evaluation; per-evaluation states of variables carry the epoch they belong to. */
  #epoch = 0
  /** Whether the variable being probed has read the review (directly or through a variable). */
  #dynamic = false
  readonly #kind: Kind[]
  readonly #epochOf: number[]
  readonly #failed: boolean[]
  readonly #values: unknown[]
  #busy = false

  constructor(body: CelBody, params: unknown) {
    this.body = body
    const n = body.variables.length
    this.#kind = new Array<Kind>(n).fill(Kind.Unknown)
    this.#epochOf = new Array<number>(n).fill(-1)
    this.#failed = new Array<boolean>(n).fill(false)
    this.#values = new Array<unknown>(n).fill(undefined)
    const variables: Record<string, unknown> = {}
    body.variables.forEach((v, i) => {
      Object.defineProperty(variables, v.name, { enumerable: true, get: () => this.#read(i) })
    })
    this.#activation = { object: null, oldObject: null, request: null, namespaceObject: null, params, variables }
    const probe: Record<string, unknown> = { params, variables }
    for (const name of PER_REVIEW)
      Object.defineProperty(probe, name, {
        enumerable: true,
        get: () => {
          this.#dynamic = true
          return this.#review?.[name] ?? null
        },
      })
    this.#probe = probe
  }

  #read(i: number): unknown {
    const kind = this.#kind[i]
    if (kind === Kind.Constant) return this.#values[i]
    if (this.#epochOf[i] === this.#epoch) {
      this.#dynamic = true
      if (this.#failed[i] === true) throw this.#values[i]
      return this.#values[i]
    }
    const cel = (this.body.variables[i] as CelBody['variables'][number]).cel
    const outer = this.#dynamic
    this.#dynamic = false
    let value: unknown
    let failed = false
    try {
      value = celEval(cel, kind === Kind.Unknown ? this.#probe : this.#activation)
    } catch (error) {
      value = error
      failed = true
    }
    const dynamic = kind === Kind.Dynamic || this.#dynamic || failed
    this.#dynamic = outer || dynamic
    this.#values[i] = value
    if (!dynamic) {
      this.#kind[i] = Kind.Constant
      return value
    }
    // A variable that failed may succeed on another review; only one that read the review is known to depend on it.
    if (!failed) this.#kind[i] = Kind.Dynamic
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
    const a = this.#activation
    a.object = review.object
    a.oldObject = review.oldObject
    a.request = review.request
    a.namespaceObject = review.namespaceObject
    this.#epoch++
    this.#dynamic = false
    try {
      return evaluateCelActivation(this.body, a)
    } finally {
      this.#review = undefined
      a.object = a.oldObject = a.request = a.namespaceObject = null
      this.#busy = false
    }
  }
}
