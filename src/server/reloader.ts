import { describeError } from '../core/index.js'
import { PolicyGeneration, type LoadedPolicies } from './generation.js'
import type { JsonLog } from './json-log.js'
import type { WebhookMetrics } from './metrics.js'

/**
 * Loads policy generations: the first at start, then again on every change. A reload
 * builds a complete new generation off to the side and swaps it in with one assignment;
 * a load that fails (bad policy, bad configuration) leaves the last good generation
 * serving, logs the error as JSON and sets the reload metrics. Loads never overlap: a
 * change during a load schedules one more load after it.
 */
export class PolicyReloader {
  private current: PolicyGeneration | undefined
  private running: Promise<void> | undefined
  private again = false
  private nextId = 1

  constructor(
    private readonly load: () => Promise<LoadedPolicies>,
    private readonly metrics: WebhookMetrics,
    private readonly log: JsonLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The generation serving requests. */
  generation(): PolicyGeneration | undefined {
    return this.current
  }

  /** Load now (or after the load in progress). Resolves when the generation is swapped or the failure recorded. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.run().finally(() => {
      this.running = undefined
      if (this.again) {
        this.again = false
        void this.reload()
      }
    })
    return this.running
  }

  private async run(): Promise<void> {
    const started = performance.now()
    let loaded: LoadedPolicies
    try {
      loaded = await this.load()
    } catch (error) {
      this.metrics.reloaded(false)
      this.log.error(
        this.current ? 'policy reload failed; the last good policies keep serving' : 'policy load failed',
        {
          generation: this.current?.id ?? null,
          error: describeError(error),
          ...diagnosticsOf(error),
        },
      )
      if (!this.current) throw error
      return
    }
    if (this.current && this.current.loaded.hash === loaded.hash) {
      this.metrics.reloaded(true)
      return
    }
    const generation = new PolicyGeneration(this.nextId++, loaded, this.now())
    this.current = generation
    this.metrics.reloaded(true, { id: generation.id, policies: loaded.policies.policies.length })
    this.log.info('policies loaded', {
      generation: generation.id,
      policies: loaded.policies.policies.length,
      hash: loaded.hash.slice(0, 12),
      ms: Math.round(performance.now() - started),
    })
  }
}

function diagnosticsOf(error: unknown): { diagnostics?: unknown[] } {
  const list = (error as { diagnostics?: unknown }).diagnostics
  return Array.isArray(list)
    ? { diagnostics: list.map((d) => (typeof d === 'object' && d !== null ? { ...d } : d)) }
    : {}
}
