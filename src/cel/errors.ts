/**
 * Thrown by a program when evaluation fails (no such key, no matching overload,
 * overflow, division by zero, bad regex, cost limit, ...). `start`/`end` are
 * offsets into the expression of the innermost failing node (-1 when unknown).
 */
export class CelEvalError extends Error {
  override readonly name: string = 'CelEvalError'
  /** What went wrong, without the location. */
  readonly reason: string
  start: number
  end: number

  constructor(reason: string, start = -1, end = -1) {
    super(start < 0 ? reason : `${reason} (at offsets ${start}-${end})`)
    this.reason = reason
    this.start = start
    this.end = end
  }

  /** Attach a location if the error has none yet (the innermost node wins). */
  locate(start: number, end: number): this {
    if (this.start < 0) {
      this.start = start
      this.end = end
      this.message = `${this.reason} (at offsets ${start}-${end})`
    }
    return this
  }
}

/**
 * The per-evaluation cost limit was exceeded. Never absorbed by `&&`, `||`,
 * `all` or `exists`: a hostile expression must not turn into a verdict.
 */
export class CelCostError extends CelEvalError {
  override readonly name: string = 'CelCostError'
}

/** A problem found while compiling: returned as `{ ok: false, error }`, never thrown out of compileCel. */
export class CelCompileError extends Error {
  override readonly name = 'CelCompileError'
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message)
  }
}

/** Where a node sits in the expression. */
export interface Site {
  readonly start: number
  readonly end: number
}

/** Re-throw `error` with the site attached when it is a CelEvalError. */
export function relocate(error: unknown, site: Site): unknown {
  return error instanceof CelEvalError ? error.locate(site.start, site.end) : error
}

/** An evaluation error without location; the calling node attaches its own. */
export function evalError(reason: string): CelEvalError {
  return new CelEvalError(reason)
}
