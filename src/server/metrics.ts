import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Latency buckets in seconds: admission budgets are milliseconds, API server timeouts seconds. */
const BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

/**
 * The webhook's Prometheus metrics, in a registry of their own (no global state).
 * Labelled children are cached so a request does no label hashing on the hot path.
 */
export class WebhookMetrics {
  readonly registry = new Registry()
  private readonly requests = new Counter({
    name: 'palisade_admission_requests_total',
    help: 'HTTP requests by path and status code.',
    labelNames: ['path', 'code'] as const,
    registers: [this.registry],
  })
  private readonly latency = new Histogram({
    name: 'palisade_admission_request_duration_seconds',
    help: 'Time from request to response, by path.',
    labelNames: ['path'] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  })
  /** Findings by policy, action and dry run, tallied in a plain map and handed to prom-client at scrape time. */
  private readonly decisionCounts = new Map<string, { labels: [string, string, string]; n: number }>()
  private readonly decisions = new Counter({
    name: 'palisade_admission_decisions_total',
    help: 'Findings by policy and action (deny, warn, audit, waived); dry_run="true" for dry-run requests, which enforce nothing.',
    labelNames: ['policy', 'action', 'dry_run'] as const,
    registers: [this.registry],
    collect: () => {
      this.decisions.reset()
      for (const { labels, n } of this.decisionCounts.values())
        this.decisions.inc({ policy: labels[0], action: labels[1], dry_run: labels[2] }, n)
    },
  })
  private readonly verdicts = new Counter({
    name: 'palisade_admission_verdicts_total',
    help: 'Admission responses by path and verdict (allowed, denied, patched).',
    labelNames: ['path', 'verdict'] as const,
    registers: [this.registry],
  })
  private readonly evaluationErrors = new Counter({
    name: 'palisade_evaluation_errors_total',
    help: 'Objects that could not be evaluated (handled by the failure policy), by policy.',
    labelNames: ['policy'] as const,
    registers: [this.registry],
  })
  private readonly reloadErrors = new Counter({
    name: 'palisade_policy_reload_errors_total',
    help: 'Policy or configuration reloads that failed; the last good generation kept running.',
    registers: [this.registry],
  })
  private readonly reloadSuccess = new Gauge({
    name: 'palisade_policy_last_reload_success',
    help: '1 if the last policy or configuration (re)load succeeded, 0 if it failed.',
    registers: [this.registry],
  })
  private readonly generationGauge = new Gauge({
    name: 'palisade_policy_generation',
    help: 'Number of the policy generation serving requests.',
    registers: [this.registry],
  })
  private readonly policiesGauge = new Gauge({
    name: 'palisade_policies_loaded',
    help: 'Policies in the serving generation.',
    registers: [this.registry],
  })
  private readonly tlsReloadErrors = new Counter({
    name: 'palisade_tls_reload_errors_total',
    help: 'Certificate reloads that failed; the previous certificate kept serving.',
    registers: [this.registry],
  })
  private readonly children = new Map<string, { inc(n?: number): void }>()
  private readonly timers = new Map<string, { observe(v: number): void }>()

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'palisade_' })
  }

  /** One finished HTTP request. */
  request(path: string, code: number, seconds: number): void {
    this.child(`r\0${path}\0${code}`, () => this.requests.labels(path, String(code))).inc()
    let timer = this.timers.get(path)
    if (!timer) this.timers.set(path, (timer = this.latency.labels(path)))
    timer.observe(seconds)
  }

  /** One finding of an admission decision. */
  decision(policy: string, action: string, dryRun: boolean): void {
    const key = `${policy}\0${action}\0${dryRun}`
    const entry = this.decisionCounts.get(key)
    if (entry) entry.n++
    else this.decisionCounts.set(key, { labels: [policy, action, String(dryRun)], n: 1 })
  }

  verdict(path: string, verdict: 'allowed' | 'denied' | 'patched'): void {
    this.child(`v\0${path}\0${verdict}`, () => this.verdicts.labels(path, verdict)).inc()
  }

  evaluationError(policy: string): void {
    this.child(`e\0${policy}`, () => this.evaluationErrors.labels(policy)).inc()
  }

  reloaded(ok: boolean, generation?: { id: number; policies: number }): void {
    this.reloadSuccess.set(ok ? 1 : 0)
    if (!ok) this.reloadErrors.inc()
    if (generation) {
      this.generationGauge.set(generation.id)
      this.policiesGauge.set(generation.policies)
    }
  }

  tlsReloadFailed(): void {
    this.tlsReloadErrors.inc()
  }

  private child(key: string, make: () => { inc(n?: number): void }): { inc(n?: number): void } {
    let c = this.children.get(key)
    if (!c) this.children.set(key, (c = make()))
    return c
  }
}
