import cluster, { type Worker } from 'node:cluster'
import type { JsonLog } from '../server/index.js'
import { EXIT, type SignalSource } from './io.js'

/**
 * `serve --workers N` (N > 1), the primary's side: fork N workers that each run the whole
 * webhook (policies, watches, TLS) on one shared port, replace a worker that dies, and on
 * SIGTERM/SIGINT pass the signal on and wait until every worker has drained and exited.
 * Node's cluster hands connections to workers round-robin; keep-alive connections stay
 * with their worker. Each worker's /metrics reports that worker only: in Kubernetes run
 * one worker per pod and scale with replicas.
 */
export async function runPrimary(workers: number, log: JsonLog, signals: SignalSource): Promise<number> {
  let stopping = false
  const listening = new Set<number>()
  const fork = (): Worker => cluster.fork()
  const all = new Promise<void>((resolve) => {
    cluster.on('listening', (worker, address) => {
      listening.add(worker.id)
      if (listening.size === workers) {
        log.info('serving', { port: address.port, workers })
        resolve()
      }
    })
  })
  let done: () => void = () => undefined
  const allExited = new Promise<void>((resolve) => (done = resolve))
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) done()
      return
    }
    log.error('worker exited; starting another', { worker: worker.id, code, signal })
    fork()
  })
  for (let i = 0; i < workers; i++) fork()
  await all
  const signal = await new Promise<string>((resolve) => {
    signals.once('SIGTERM', () => resolve('SIGTERM'))
    signals.once('SIGINT', () => resolve('SIGINT'))
  })
  stopping = true
  log.info('shutting down', { signal, workers })
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
  if (Object.keys(cluster.workers ?? {}).length > 0) await allExited
  log.info('stopped')
  return EXIT.OK
}
