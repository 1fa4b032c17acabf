import { EventEmitter } from 'node:events'
import type { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import type { RunOutcomesData } from '../pipeline/index.js'
import { Spool } from './spool.js'
import { StreamWorkers } from './stream-threads.js'
import type { ToStreamWorker } from './stream-worker.js'

/**
 * A stand-in for a worker thread that answers each pass at once: what is tested here is when
 * StreamWorkers ends its workers, not their work (stream-threads.test.ts runs real ones).
 */
class Answering extends EventEmitter {
  terminated = 0
  postMessage(message: ToStreamWorker): void {
    const done = message.type === 'files' ? 'read-done' : 'check-done'
    setImmediate(() => this.emit('message', { type: done }))
  }
  async terminate(): Promise<number> {
    this.terminated++
    setImmediate(() => this.emit('exit', 1))
    return 1
  }
}

const DATA: RunOutcomesData = { namespaces: [], entries: new Int32Array(0), log: { chunks: [] } as never, facts: [] }

describe('StreamWorkers', () => {
  it('ends its workers as soon as the second pass is done, and once', async () => {
    const spool = new Spool()
    const started: Answering[] = []
    try {
      const workers = new StreamWorkers(2, {} as never, spool, () => {
        const w = new Answering()
        started.push(w)
        return w as unknown as Worker
      })
      workers.startRead([], () => {}, new Uint8Array(new SharedArrayBuffer(0)))
      await workers.read(async () => {})
      expect(started.map((w) => w.terminated)).toEqual([0, 0])
      await workers.check(
        () => DATA,
        () => {},
        async () => {},
      )
      // Asked to end as soon as the pass is done (the report is written while they exit).
      expect(started.map((w) => w.terminated)).toEqual([1, 1])
      // An exit after their work is done is no failure; stopping again waits for the same exits.
      await new Promise((resolve) => setImmediate(resolve))
      await workers.stop()
      expect(started.map((w) => w.terminated)).toEqual([1, 1])
    } finally {
      spool.remove()
    }
  })
})
