import type { DecisionRecord } from '../server/index.js'
import { isAction } from '../core/index.js'
import type { AdmissionDecision, Store, StoreLocation } from '../store/index.js'
import { withStore } from './store-access.js'

/** The admission decisions of one AdmissionReview: one per finding that is not waived. */
export function admissionDecisions(record: DecisionRecord): AdmissionDecision[] {
  const at = new Date(record.time)
  return record.findings
    .filter((f) => f.waived !== true && isAction(f.action))
    .map((f) => ({
      at,
      uid: record.uid,
      policy: f.policy,
      action: f.action as AdmissionDecision['action'],
      // A denial is a deny finding of a request that was refused for real (not a dry run).
      denied: !record.allowed && record.enforced && f.action === 'deny',
      ...(record.environment === undefined ? {} : { environment: record.environment }),
      ...(record.namespace === undefined ? {} : { namespace: record.namespace }),
      kind: record.kind,
      ...(record.name === undefined ? {} : { name: record.name }),
      operation: record.operation,
      ...(record.user === undefined ? {} : { username: record.user }),
      message: `${f.policy} (${f.severity}) at ${f.path || '/'}`,
    }))
}

/**
 * `serve --record`: decisions are buffered in memory and written every `intervalMs` in one
 * transaction (per-minute counts upserted, so replicas add up; denials in full; rows past
 * the retention deleted). The store is opened per flush: an embedded store's folder is
 * then free between flushes for other processes (workers, `palisade stats`).
 */
export class AdmissionRecorder {
  private buffer: AdmissionDecision[] = []
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly location: StoreLocation,
    private readonly options: {
      intervalMs: number
      retentionDays: number
      now: () => Date
      onError: (error: unknown) => void
      maxBuffered: number
      open?: (location: StoreLocation, fn: (store: Store) => Promise<void>) => Promise<void>
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs)
    this.timer.unref()
  }

  add(record: DecisionRecord): void {
    if (this.buffer.length >= this.options.maxBuffered) return // the store is down for long: keep memory bounded (the decision log still has them)
    this.buffer.push(...admissionDecisions(record))
  }

  /** Write what is buffered; a failed write keeps the decisions for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0) return
      const batch = this.buffer
      this.buffer = []
      try {
        await (this.options.open ?? withStore)(this.location, (store) =>
          store.recordAdmission(batch, { days: this.options.retentionDays, now: this.options.now() }),
        )
      } catch (error) {
        this.buffer = [...batch, ...this.buffer].slice(0, this.options.maxBuffered)
        this.options.onError(error)
      }
    })
    return this.flushing
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.flush()
  }
}
