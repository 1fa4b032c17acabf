import { createHash } from 'node:crypto'
import { renderDirectory } from './directory.js'
import { renderHelm } from './helm.js'
import { renderKustomize } from './kustomize.js'
import type { RenderEnv, RenderOutput } from './render-env.js'
import type { RenderSpec } from './types.js'

/** A finished render and what it cost. */
export interface TimedRender {
  output: RenderOutput
  ms: number
  /** Identity of the render (hash of the spec): targets with the same key share one render. */
  key: string
}

/**
 * Render each distinct spec once (keyed by tool, path and every option), at most
 * `concurrency` at a time. Asking again for the same spec returns the same promise.
 * `onProgress` hears of each render asked for and each one finished.
 */
export function createRenderQueue(
  env: RenderEnv,
  concurrency: number,
  now: () => number,
  onProgress?: (done: number, total: number) => void,
): { render(spec: RenderSpec): Promise<TimedRender>; readonly renders: number } {
  const cache = new Map<string, Promise<{ output: RenderOutput; ms: number }>>()
  let finished = 0
  let running = 0
  const waiting: (() => void)[] = []
  const acquire = async (): Promise<void> => {
    if (running < concurrency) {
      running++
      return
    }
    await new Promise<void>((resolve) => waiting.push(resolve))
  }
  const release = (): void => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
  const run = async (spec: RenderSpec, key: string): Promise<{ output: RenderOutput; ms: number }> => {
    await acquire()
    const start = now()
    try {
      const output =
        spec.tool === 'helm'
          ? await renderHelm(spec, env, key)
          : spec.tool === 'kustomize'
            ? await renderKustomize(spec, env, key)
            : await renderDirectory(spec, env)
      return { output, ms: now() - start }
    } catch (error) {
      return {
        output: {
          resources: [],
          diagnostics: [],
          failure:
            error instanceof Error
              ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
              : String(error),
        },
        ms: now() - start,
      }
    } finally {
      release()
    }
  }
  return {
    get renders() {
      return cache.size
    },
    async render(spec) {
      const key = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16)
      let p = cache.get(key)
      if (!p) {
        // Totals are the distinct renders asked for so far (the summary's "N renders"); later rounds add to them.
        p = run(spec, key).then((r) => {
          finished++
          onProgress?.(finished, cache.size)
          return r
        })
        cache.set(key, p)
        onProgress?.(finished, cache.size)
      }
      return { ...(await p), key }
    },
  }
}
