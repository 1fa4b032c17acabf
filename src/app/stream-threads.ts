import type { Worker } from 'node:worker_threads'
import { ToolError } from '../core/index.js'
import type { FileParts, RunOutcomesData } from '../pipeline/index.js'
import type { FoundFile } from '../sources/index.js'
import type { Spool } from './spool.js'
import type { FileResult } from './stream-file.js'
import { startStreamWorker } from './start-stream-worker.js'
import type { FromStreamWorker, StreamWorkerData, ToStreamWorker } from './stream-worker.js'

/** What every worker of a run is started with (the rest is its own). */
export type SharedWorkerData = Omit<StreamWorkerData, 'thread' | 'spoolFile' | 'spoolName' | 'claims'>

/** Files of the main thread's share between two looks at the workers' messages. */
const YIELD_EVERY = 8
/** At most this long (ms) between two looks at the event loop: a signal (SIGINT) waits for one, also on big files or one thread. */
const YIELD_MS = 100

interface Running {
  worker: Worker
  thread: number
  /** The message that ends the pass it is in, and what to do when it comes or the worker fails. */
  waiting?: { until: 'read-done' | 'check-done'; resolve: () => void; reject: (error: Error) => void } | undefined
  failed?: Error
  done: boolean
  /** Its termination, once asked for. */
  exited?: Promise<void>
}

/**
 * The worker threads of a streaming scan, and the counter they and the main thread claim
 * files from (`claim`): whichever thread is free takes the next file, so a slow start or a
 * heavy file costs nobody a wait. With no workers the main thread claims every file: the
 * one-thread scan is the same code. A worker that fails (an error, an exit before its work
 * is done) fails the pass it is in: an internal error of the run.
 */
export class StreamWorkers {
  readonly #claims = new Int32Array(new SharedArrayBuffer(8))
  readonly #running: Running[] = []
  /** When the main thread last let the event loop run (performance.now()). */
  #looked = performance.now()
  #onParts: (file: number, parts: FileParts) => void = () => {}
  #onResult: (result: FileResult) => void = () => {}
  #reading: Promise<void> | undefined

  /** Start `count` workers now (they load the policy set while the main thread goes on). */
  constructor(count: number, data: SharedWorkerData, spool: Spool, start = startStreamWorker) {
    for (let thread = 1; thread <= count; thread++) {
      const spoolName = `thread-${thread}`
      const full: StreamWorkerData = {
        ...data,
        thread,
        spoolName,
        spoolFile: spool.fileFor(spoolName),
        claims: this.#claims.buffer as SharedArrayBuffer,
      }
      const running: Running = { worker: start(full), thread, done: false }
      running.worker.on('message', (message: FromStreamWorker) => this.#receive(running, message))
      running.worker.on('error', (error) => this.#fail(running, error))
      running.worker.on('exit', (code) => {
        if (!running.done) this.#fail(running, new Error(`exited (code ${code}) before its work was done`))
      })
      this.#running.push(running)
    }
  }

  /** How many threads work, the main thread included. */
  get threads(): number {
    return this.#running.length + 1
  }

  /**
   * Let the workers' messages in, every few files of the main thread's share: else they queue
   * until its share is done (at 100,000 resources, a worker's parts all at once). And after
   * any file once YIELD_MS have passed, with or without workers: signals are handled on the
   * event loop, so a run over big files went on for a minute after SIGINT.
   */
  async between(done: number): Promise<void> {
    const workers = this.#running.length > 0 && done % YIELD_EVERY === 0
    if (!workers && performance.now() - this.#looked < YIELD_MS) return
    await new Promise((resolve) => setImmediate(resolve))
    this.#looked = performance.now()
  }

  /** The next file of a pass (0: reading, 1: checking) for the main thread; past the end when none is left. */
  claim(pass: 0 | 1): number {
    return Atomics.add(this.#claims, pass, 1)
  }

  /**
   * The first pass: the workers start on the files now; `read` (below) adds the main thread's
   * loop over `claim(0)` when it is free (it may have other work first: the GitOps inventory).
   */
  startRead(
    files: readonly FoundFile[],
    onParts: (file: number, parts: FileParts) => void,
    /** A byte per file over shared memory (keptPartsOf's `plain`), set by whichever thread reads the file. */
    plain: Uint8Array,
  ): void {
    if (this.#reading) throw new Error('StreamWorkers: the first pass was started already')
    this.#onParts = onParts
    const shared = plain.buffer as SharedArrayBuffer
    this.#reading = this.#begin('read-done', { type: 'files', files: [...files], plain: shared })
  }

  /** The first pass (started by `startRead`): the workers and `work` (the main thread's loop over `claim(0)`) share the files. */
  async read(work: () => Promise<void>) {
    if (!this.#reading) throw new Error('StreamWorkers: read before startRead')
    await work()
    await this.#reading
  }

  /** The second pass: the workers and `work` (over `claim(1)`) share the files; `data`: the run's outcomes for workers. */
  async check(data: () => RunOutcomesData, onResult: (result: FileResult) => void, work: () => Promise<void>) {
    this.#onResult = onResult
    await this.#pass('check-done', this.#running.length > 0 ? { type: 'outcomes', data: data() } : undefined, work)
    // Their work is done: they are ended now, while the report is written (their files in
    // the spool are closed: each closes its file before it says it is done). Not awaited
    // here: a worker's teardown (its heap given back) takes 20-80 ms of its own thread, and
    // `stop()` after the report waits for it. The run's peak is in the second pass, both
    // heaps at their largest; the report copies bytes and adds little to the main heap.
    void this.stop()
  }

  /** End every worker (on success they are done; on error, stop them where they are); settled when all have exited. */
  stop(): Promise<void> {
    for (const r of this.#running) {
      r.done = true
      r.exited ??= r.worker.terminate().then(() => {})
    }
    return Promise.all(this.#running.map((r) => r.exited)).then(() => {})
  }

  async #pass(until: 'read-done' | 'check-done', message: ToStreamWorker | undefined, work: () => Promise<void>) {
    const waits = this.#begin(until, message)
    await work()
    await waits
  }

  /** Send the workers a pass's message; settled when each has said it is done (or failed). */
  #begin(until: 'read-done' | 'check-done', message: ToStreamWorker | undefined): Promise<void> {
    const waits = this.#running.map(
      (r) =>
        new Promise<void>((resolve, reject) => {
          if (r.failed) reject(r.failed)
          else r.waiting = { until, resolve, reject }
        }),
    )
    if (message) for (const r of this.#running) if (!r.failed) r.worker.postMessage(message)
    const all = Promise.all(waits).then(() => {})
    // Rejections are awaited by the pass, after the main thread's share: not unhandled meanwhile.
    all.catch(() => {})
    return all
  }

  #receive(running: Running, message: FromStreamWorker): void {
    switch (message.type) {
      case 'parts':
        for (const [file, parts] of message.batch) this.#onParts(file, parts)
        return
      case 'checked':
        for (const result of message.batch) this.#onResult(result)
        return
      case 'read-done':
      case 'check-done':
        if (running.waiting?.until === message.type) running.waiting.resolve()
        running.waiting = undefined
        return
    }
  }

  #fail(running: Running, error: Error): void {
    if (running.failed) return
    running.failed = new ToolError(
      'INTERNAL',
      `streaming scan: worker thread ${running.thread} failed: ${error.message}`,
      {
        cause: error,
      },
    )
    running.waiting?.reject(running.failed)
    running.waiting = undefined
  }
}
