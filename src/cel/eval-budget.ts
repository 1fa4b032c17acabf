/**
 * One cost budget and one wall-clock deadline per evaluation: one policy on one resource.
 * User policies (Kyverno, ValidatingAdmissionPolicy, ValidatingPolicy) run under a budget;
 * every CEL program they evaluate, and every Kyverno foreach element, spends from it, so
 * a policy cannot escape the limit by spreading its work over many expressions (a chain of
 * variables each doubling a list) or many loops (foreach nested three deep). The clock is
 * read cooperatively, every CHECK_EVERY units, never per step.
 *
 * Cost units follow the spirit of Kubernetes' CEL runtime cost: one unit per comprehension
 * iteration or foreach element, and, for values built by concatenation, units in proportion
 * to the size of the result, charged before it is allocated (one per list element, one per
 * four characters), so memory is bounded as well as time.
 */

/** Limits of one evaluation. */
export interface EvalLimits {
  /** Most cost units one evaluation may spend (default 10,000,000, Kubernetes' per-request CEL budget). */
  readonly cost: number
  /** Most wall-clock milliseconds one evaluation may take (default 2,000); 0 disables the deadline. */
  readonly timeoutMs: number
  /** The clock the deadline is measured with, in milliseconds. */
  readonly clock: () => number
}

/** Kubernetes' runtime CEL cost budget of one admission request (RuntimeCELCostBudget). */
export const DEFAULT_EVAL_COST = 10_000_000
/** Wall-clock deadline of one evaluation, in milliseconds. */
export const DEFAULT_EVAL_TIMEOUT_MS = 2_000
/** Units spent between two readings of the clock. */
export const CHECK_EVERY = 4_096

/** Which limit an evaluation hit: its cost, its own deadline, or the deadline of the whole request. */
export type LimitKind = 'cost' | 'time' | 'request'

/**
 * An evaluation ran out of budget or time. Never absorbed as an ordinary evaluation error
 * (not by `&&`, `||`, failurePolicy Ignore or a Kyverno foreach): the policy's outcome on
 * that resource is `error`.
 */
export class EvalLimitError extends Error {
  override readonly name = 'EvalLimitError'
  constructor(
    readonly limit: LimitKind,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The deadline of a whole admission request, shared by every policy evaluated for it: past
 * it the evaluation that runs is stopped and no further one starts. Not absorbed where an
 * EvalLimitError is not, and not turned into one policy's error either: the request as a
 * whole could not be checked.
 */
export class RequestDeadlineError extends EvalLimitError {
  constructor(
    readonly timeoutMs: number,
    /** Evaluations started under the deadline, the stopped one included. */
    readonly started: number,
  ) {
    super(
      'request',
      `request deadline of ${timeoutMs} ms passed after ${started} user ${started === 1 ? 'policy' : 'policies'} started; the rest were not evaluated`,
    )
  }
}

/** A deadline shared by the evaluations of one request (see withRequestDeadline). */
interface RequestDeadline {
  readonly at: number
  readonly timeoutMs: number
  readonly clock: () => number
  started: number
}

let request: RequestDeadline | undefined

/** The running budget of one evaluation. */
export class EvalBudget {
  /** Units spent so far. */
  spent = 0
  /** `spent` at which the clock is read next (or the cost limit is reported). */
  private nextCheck: number
  private readonly deadline: number
  private readonly request = request

  constructor(readonly limits: EvalLimits) {
    this.deadline = limits.timeoutMs > 0 ? limits.clock() + limits.timeoutMs : Infinity
    this.nextCheck = Math.min(limits.cost, CHECK_EVERY)
  }

  /** Units left before the cost limit. */
  remaining(): number {
    return Math.max(0, this.limits.cost - this.spent)
  }

  /** Spend `n` units; throws EvalLimitError past the cost limit or the deadline. */
  spend(n: number): void {
    this.spent += n
    if (this.spent > this.nextCheck) this.checkpoint()
  }

  /** Throw when the cost limit is passed or the deadline is; else schedule the next check. */
  checkpoint(): void {
    if (this.spent > this.limits.cost)
      throw new EvalLimitError('cost', `evaluation cost limit exceeded (${this.limits.cost} units)`)
    if (this.limits.clock() > this.deadline)
      throw new EvalLimitError('time', `evaluation time limit exceeded (${this.limits.timeoutMs} ms)`)
    const r = this.request
    if (r !== undefined && r.clock() > r.at) throw new RequestDeadlineError(r.timeoutMs, r.started)
    this.nextCheck = Math.min(this.limits.cost, this.spent + CHECK_EVERY)
  }
}

let current: EvalBudget | undefined

/** The budget of the evaluation running now, if it runs under one. */
export function currentBudget(): EvalBudget | undefined {
  return current
}

/**
 * Run `evaluation` under a fresh budget with `limits`. Evaluation is synchronous, so the
 * budget is found by everything it calls without being threaded through every signature.
 */
export function withBudget<T>(limits: EvalLimits, evaluation: () => T): T {
  if (request !== undefined) {
    if (request.clock() > request.at) throw new RequestDeadlineError(request.timeoutMs, request.started)
    request.started++
  }
  const previous = current
  current = new EvalBudget(limits)
  try {
    return evaluation()
  } finally {
    current = previous
  }
}

/** Spend `n` units of the current budget, if any (Kyverno foreach elements, JMESPath queries). */
export function spend(n: number): void {
  current?.spend(n)
}

/**
 * Run the evaluations of one request under one deadline, `timeoutMs` after `startedAt`
 * (both read with `clock`, in milliseconds): every budget started inside also stops at it,
 * and none starts past it. Throws RequestDeadlineError when it is hit.
 */
export function withRequestDeadline<T>(
  deadline: { startedAt: number; timeoutMs: number; clock: () => number },
  evaluation: () => T,
): T {
  const previous = request
  request = {
    at: deadline.startedAt + deadline.timeoutMs,
    timeoutMs: deadline.timeoutMs,
    clock: deadline.clock,
    started: 0,
  }
  try {
    return evaluation()
  } finally {
    request = previous
  }
}
