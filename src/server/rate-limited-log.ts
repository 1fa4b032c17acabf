import type { JsonLog } from './json-log.js'

/** How many lines of one kind may be written per interval. */
export interface RateLimit {
  lines: number
  intervalMs: number
}

/**
 * A warning that any unauthenticated client can trigger (a failed TLS handshake) must not
 * let that client fill the log: at most `lines` lines per `intervalMs`; the rest are
 * counted, and the count is written with the next line let through or by `flush()`.
 */
export class RateLimitedWarning {
  private windowStart = Number.NEGATIVE_INFINITY
  private written = 0
  private suppressed = 0

  constructor(
    private readonly log: JsonLog,
    private readonly msg: string,
    private readonly limit: RateLimit,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  warn(fields: Record<string, unknown>): void {
    const now = this.clock()
    if (now - this.windowStart >= this.limit.intervalMs) {
      this.windowStart = now
      this.written = 0
    }
    if (this.written >= this.limit.lines) {
      this.suppressed++
      return
    }
    this.written++
    const suppressed = this.suppressed
    this.suppressed = 0
    this.log.warn(this.msg, suppressed > 0 ? { ...fields, suppressedBefore: suppressed } : fields)
  }

  /** Write the count of lines held back since the last one written (at shutdown). */
  flush(): void {
    if (this.suppressed === 0) return
    this.log.warn(`${this.msg} (suppressed lines)`, { suppressed: this.suppressed })
    this.suppressed = 0
  }
}
