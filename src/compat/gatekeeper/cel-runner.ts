import { isRecord, type KubeObject } from '../../core/index.js'
import {
  evaluateCelActivation,
  evaluateCelBody,
  kindAndResource,
  writeAdmissionRequest,
  type KindAndResource,
  type CelBody,
  type CelOutcome,
} from '../shared/cel-body.js'
import { celEval } from '../shared/cel-program.js'
import { ANY_OBJECT_FIELD, inlinedBody, inlineVariables } from './cel-inline.js'
import { GATEKEEPER_VARIABLES } from './template.js'

/** What one evaluation of a constraint's CEL sees besides its params. */
export interface CelReview {
  object: KubeObject | null
  oldObject: KubeObject | null
  request: Record<string, unknown>
  namespaceObject: KubeObject | null
}

/** The activation inputs that change from one evaluation to the next. */
const PER_REVIEW = ['object', 'oldObject', 'request', 'namespaceObject'] as const

/** A user as a request's userInfo. */
type UserInfo = Readonly<{ username: string; groups: readonly string[] }>

const ANY_OBJECT = GATEKEEPER_VARIABLES.find((v) => v.name === 'anyObject')?.expression

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
  /** The body its evaluations run: recompiled for this constraint with its variables inlined (cel-inline.ts). */
  readonly #inlined: CelBody
  /** The activation expressions run on: plain data, the review's inputs stored per evaluation. */
  readonly #activation: Record<string, unknown>
  /** The same inputs behind getters that mark the variable being evaluated as reading the review. */
  readonly #probe: Record<string, unknown>
  #review: CelReview | undefined
  /** The object evaluated when there is no review: its request is written on first read. */
  #doc: KubeObject | null = null
  #operation = 'CREATE'
  #oldObject: KubeObject | null = null
  #user: object | undefined
  #userInfo: UserInfo = { username: '', groups: [] }
  /** One request object, rewritten for each evaluation that reads it (requests never outlive one). */
  readonly #request: Record<string, unknown>
  /** Gatekeeper's `variables.anyObject`, computed natively (its definition: the object, or the old object of a DELETE). */
  readonly #anyObject: number
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
    this.#request = this.#lazyRequest()
    this.#anyObject = body.variables.findIndex((v) => v.name === 'anyObject' && v.cel.expression === ANY_OBJECT)
    const variables: Record<string, unknown> = {}
    body.variables.forEach((v, i) => {
      Object.defineProperty(variables, v.name, { enumerable: true, get: () => this.#read(i) })
    })
    const activation: Record<string, unknown> = {
      object: null,
      oldObject: null,
      namespaceObject: null,
      params,
      variables,
    }
    // Written for each evaluation (a plain field: templates read request.operation on every one).
    activation.request = null
    activation[ANY_OBJECT_FIELD] = null
    this.#activation = activation
    const probe: Record<string, unknown> = { params, variables }
    for (const name of PER_REVIEW)
      Object.defineProperty(probe, name, {
        enumerable: true,
        get: () => {
          this.#dynamic = true
          return name === 'request' ? this.#requestOf() : activation[name]
        },
      })
    this.#probe = probe
    this.#inlined = inlinedBody(body, inlineVariables(body, params, this.#anyObject))
  }

  /** The request of this evaluation: the review's, or the object's (its fields read on demand). */
  #requestOf(): unknown {
    if (this.#review !== undefined) return this.#review.request
    return this.#doc === null ? null : this.#request
  }

  /**
   * One request object for every evaluation without a review, as admissionRequest would
   * build it (the same fields, in the same order), each field read from the object being
   * evaluated when an expression reads it: most templates read only `operation`.
   */
  #lazyRequest(): Record<string, unknown> {
    const doc = (): KubeObject => this.#doc ?? {}
    const meta = (): Record<string, unknown> => {
      const m = doc().metadata
      return isRecord(m) ? m : {}
    }
    const gv = (): KindAndResource => {
      const o = doc()
      return kindAndResource(
        typeof o.apiVersion === 'string' ? o.apiVersion : '',
        typeof o.kind === 'string' ? o.kind : '',
      )
    }
    const fields: [string, () => unknown][] = [
      ['uid', () => ''],
      ['kind', () => gv().gvk],
      ['resource', () => gv().gvr],
      ['requestKind', () => gv().gvk],
      ['requestResource', () => gv().gvr],
      ['subResource', () => ''],
      ['name', () => (typeof meta().name === 'string' ? meta().name : '')],
      ['namespace', () => (typeof meta().namespace === 'string' ? meta().namespace : '')],
      ['operation', () => this.#operation],
      ['userInfo', () => this.#userInfo],
      ['object', () => (this.#operation === 'DELETE' ? null : this.#doc)],
      ['oldObject', () => this.#oldObject],
      ['dryRun', () => false],
    ]
    const request: Record<string, unknown> = {}
    for (const [name, get] of fields)
      if (name === 'operation')
        // A plain field, written per evaluation: the one field nearly every template reads.
        Object.defineProperty(request, name, { enumerable: true, writable: true, value: this.#operation })
      else Object.defineProperty(request, name, { enumerable: true, get })
    return request
  }

  #read(i: number): unknown {
    if (i === this.#anyObject) {
      this.#dynamic = true
      const a = this.#activation
      return this.#operationOf() === 'DELETE' && a.object === null ? a.oldObject : a.object
    }
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

  #operationOf(): unknown {
    if (this.#review === undefined) return this.#operation
    const r = this.#review.request
    return r === null || typeof r !== 'object' ? undefined : r.operation
  }

  /** Evaluate the body on one review (as evaluateCelBody would, with this constraint as params). */
  run(review: CelReview): CelOutcome {
    // Evaluations do not nest; if one ever did, it gets an activation of its own.
    if (this.#busy) return evaluateCelBody(this.body, { ...review, params: this.#activation.params })
    this.#review = review
    return this.#evaluate(review.object, review.oldObject, review.namespaceObject)
  }

  /**
   * Evaluate the body on a document admitted by `operation` (a CREATE of it, or a DELETE of
   * `oldObject`) in `namespaceObject`, as on reviewOf's review of it, without building the
   * review: its request is written only if an expression reads it.
   */
  runObject(
    doc: KubeObject,
    operation: string,
    user: UserInfo,
    oldObject: KubeObject | null,
    namespaceObject: KubeObject | null = null,
  ): CelOutcome {
    if (this.#busy) {
      const userInfo = { username: user.username, groups: [...user.groups] }
      const request = writeAdmissionRequest({}, doc, operation, userInfo, oldObject)
      const object = operation === 'DELETE' ? null : doc
      return evaluateCelBody(this.body, {
        object,
        oldObject,
        request,
        namespaceObject,
        params: this.#activation.params,
      })
    }
    if (user !== this.#user) {
      this.#user = user
      this.#userInfo = { username: user.username, groups: [...user.groups] }
    }
    this.#doc = doc
    this.#operation = operation
    this.#request.operation = operation
    this.#oldObject = oldObject
    return this.#evaluate(operation === 'DELETE' ? null : doc, oldObject, namespaceObject)
  }

  #evaluate(object: KubeObject | null, oldObject: KubeObject | null, namespaceObject: KubeObject | null): CelOutcome {
    this.#busy = true
    const a = this.#activation
    a.object = object
    a.oldObject = oldObject
    a.namespaceObject = namespaceObject
    a.request = this.#requestOf()
    a[ANY_OBJECT_FIELD] = this.#operationOf() === 'DELETE' && object === null ? oldObject : object
    this.#epoch++
    this.#dynamic = false
    try {
      return evaluateCelActivation(this.#inlined, a)
    } finally {
      this.#review = undefined
      this.#doc = this.#oldObject = null
      a.object = a.oldObject = a.namespaceObject = a.request = a[ANY_OBJECT_FIELD] = null
      this.#busy = false
    }
  }
}
