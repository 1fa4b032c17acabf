import { describe, expect, it } from 'vitest'
import { PolicyReloader, WebhookMetrics, type LoadedPolicies } from './index.js'
import { testGeneration } from './test-server.test-support.js'

const loaded = (hash: string): LoadedPolicies => ({ ...testGeneration().loaded, hash })

function setup() {
  const metrics = new WebhookMetrics({ processMetrics: false })
  const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = []
  const log = {
    info: (msg: string, fields?: Record<string, unknown>) =>
      logs.push({ level: 'info', msg, ...(fields ? { fields } : {}) }),
    warn: (msg: string, fields?: Record<string, unknown>) =>
      logs.push({ level: 'warn', msg, ...(fields ? { fields } : {}) }),
    error: (msg: string, fields?: Record<string, unknown>) =>
      logs.push({ level: 'error', msg, ...(fields ? { fields } : {}) }),
  }
  const queue: (() => Promise<LoadedPolicies>)[] = []
  const reloader = new PolicyReloader(
    () => (queue.shift() ?? (() => Promise.reject(new Error('no load queued'))))(),
    metrics,
    log,
  )
  return { metrics, logs, queue, reloader }
}

const gauge = async (metrics: WebhookMetrics, name: string) =>
  (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value

describe('PolicyReloader', () => {
  it('swaps in a complete new generation, skips loads that change nothing, and keeps the last good one on failure', async () => {
    const { metrics, logs, queue, reloader } = setup()
    queue.push(async () => loaded('a'))
    await reloader.reload()
    const first = reloader.generation()
    expect(first?.id).toBe(1)

    queue.push(async () => loaded('a'))
    await reloader.reload()
    expect(reloader.generation()).toBe(first) // same content hash: no new generation

    const bad = Object.assign(new Error('invalid configuration (1 problem)'), {
      diagnostics: [{ code: 'CONFIG_INVALID', message: 'actions.default: must be deny, warn or audit' }],
    })
    queue.push(() => Promise.reject(bad))
    await reloader.reload()
    expect(reloader.generation()).toBe(first)
    expect(await gauge(metrics, 'palisade_policy_last_reload_success')).toBe(0)
    expect(await gauge(metrics, 'palisade_policy_reload_errors_total')).toBe(1)
    expect(logs.at(-1)).toMatchObject({
      level: 'error',
      msg: expect.stringMatching(/last good policies keep serving/),
      fields: { generation: 1, diagnostics: [{ code: 'CONFIG_INVALID' }] },
    })

    queue.push(async () => loaded('b'))
    await reloader.reload()
    expect(reloader.generation()?.id).toBe(2)
    expect(await gauge(metrics, 'palisade_policy_last_reload_success')).toBe(1)
    expect(await gauge(metrics, 'palisade_policy_generation')).toBe(2)
  })

  it('never runs two loads at once: a change during a load schedules one more', async () => {
    const { queue, reloader } = setup()
    let release!: () => void
    queue.push(() => new Promise<LoadedPolicies>((resolve) => (release = () => resolve(loaded('a')))))
    queue.push(async () => loaded('b'))
    const first = reloader.reload()
    const second = reloader.reload()
    expect(queue.length).toBe(1) // the second load waits
    release()
    await first
    await second
    await new Promise((r) => setTimeout(r, 0))
    await reloader.reload().catch(() => undefined) // drains any load still scheduled
    expect(reloader.generation()?.loaded.hash).toBe('b')
  })

  it('fails the first load loudly (serve exits 2) rather than serving nothing', async () => {
    const { queue, reloader } = setup()
    queue.push(() => Promise.reject(new Error('bad policy')))
    await expect(reloader.reload()).rejects.toThrow('bad policy')
    expect(reloader.generation()).toBeUndefined()
  })
})
