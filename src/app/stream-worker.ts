import { Readable } from 'node:stream'
import { parentPort, workerData } from 'node:worker_threads'
import type { BlockingRule } from '../core/index.js'
import { EarlierFirsts, runOutcomesFrom, type FileParts, type RunOutcomesData } from '../pipeline/index.js'
import type { FoundFile } from '../sources/index.js'
import { findingSerializer, type StreamFormat } from './finding-serializer.js'
import { loadPolicySet } from './policy-set.js'
import type { ScanOptions } from './scan.js'
import { SpoolFile } from './spool.js'
import { checkFile, keptPartsOf, type FileResult, type StreamContext } from './stream-file.js'
import { StreamTrace } from './stream-trace.js'

/** What a worker of a streaming scan is started with (plain data). */
export interface StreamWorkerData {
  /** The scan's options without its callbacks: the worker loads the same policy set. */
  options: ScanOptions
  cwd: string
  env: Record<string, string | undefined>
  /** The run's time (ms since the epoch): waivers expire as on the main thread. */
  now: number
  report: StreamFormat
  rule: BlockingRule
  /** This worker's number (1, 2, ...) and the spool file it writes its findings' text to. */
  thread: number
  spoolFile: string
  spoolName: string
  /** The next file to claim in each pass: [first pass, second pass] (Atomics). */
  claims: SharedArrayBuffer
  /** Test seam: throw in this pass instead of doing it (a worker failure must fail the run). */
  fault?: 'read' | 'check'
}

/** Main thread → worker. */
export type ToStreamWorker =
  { type: 'files'; files: FoundFile[]; plain: SharedArrayBuffer } | { type: 'outcomes'; data: RunOutcomesData }

/** Worker → main thread. */
export type FromStreamWorker =
  | { type: 'parts'; batch: [number, FileParts][] }
  | { type: 'read-done' }
  | { type: 'checked'; batch: FileResult[] }
  | { type: 'check-done' }

/** Files a worker finishes before it posts what they gave (one message per file would cost more than the file). */
const BATCH = 32

/**
 * A worker thread of a streaming scan (stream-threads.ts starts it): it loads the run's
 * policy set, then claims files one at a time from a counter shared with the other threads,
 * in the first pass posting what each gives the run, in the second checking each and writing
 * its findings' text to its own spool file. Any error ends the worker, and the run fails.
 */
export async function runStreamWorker(): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('runStreamWorker runs in a worker thread')
  const data = workerData as StreamWorkerData
  const trace = new StreamTrace(data.env, data.thread)
  trace.mark('worker start')
  const io = { stdin: Readable.from([]), cwd: data.cwd, env: data.env, now: () => new Date(data.now) }
  const policySet = await loadPolicySet({ ...data.options, scanPaths: data.options.paths }, io)
  const ctx: StreamContext = {
    options: data.options,
    cwd: data.cwd,
    policies: policySet.policies,
    resolver: policySet.resolverAt(new Date(data.now)),
    names: policySet.config.environments.map((e) => e.name),
    rule: data.rule,
    serializer: findingSerializer(
      data.report,
      policySet.policies.policies.map((p) => p.meta.id),
    ),
  }
  trace.mark('policy set loaded')
  const claims = new Int32Array(data.claims)
  let files: FoundFile[] = []
  let plain: Uint8Array | undefined
  const post = (message: FromStreamWorker): void => port.postMessage(message)
  port.on('message', (message: ToStreamWorker) => {
    if (message.type === 'files') {
      files = message.files
      plain = new Uint8Array(message.plain)
      if (data.fault === 'read') throw new Error('stream worker: fault injected in the first pass')
      trace.mark('read start')
      let batch: [number, FileParts][] = []
      let done = 0
      const firsts = new EarlierFirsts()
      for (let i = Atomics.add(claims, 0, 1); i < files.length; i = Atomics.add(claims, 0, 1)) {
        trace.sample('read', ++done)
        const parts = keptPartsOf(ctx, files[i] as FoundFile, i, firsts, plain)
        if (parts) batch.push([i, parts])
        if (batch.length >= BATCH) {
          post({ type: 'parts', batch })
          batch = []
        }
      }
      if (batch.length > 0) post({ type: 'parts', batch })
      trace.mark('read end')
      post({ type: 'read-done' })
      return
    }
    if (data.fault === 'check') throw new Error('stream worker: fault injected in the second pass')
    trace.mark('outcomes received')
    const run = runOutcomesFrom(ctx.policies, message.data)
    const spool = new SpoolFile(data.spoolFile, 'write')
    try {
      const expired = new Set<object>()
      const append = { thread: data.thread, name: data.spoolName, append: (text: string) => spool.append(text) }
      let batch: FileResult[] = []
      let done = 0
      for (let i = Atomics.add(claims, 1, 1); i < files.length; i = Atomics.add(claims, 1, 1)) {
        trace.sample('check', ++done)
        batch.push(checkFile(ctx, i, files[i] as FoundFile, run, expired, append, plain))
        if (batch.length >= BATCH) {
          post({ type: 'checked', batch })
          batch = []
        }
      }
      if (batch.length > 0) post({ type: 'checked', batch })
    } finally {
      spool.close()
    }
    trace.mark('check end')
    // The main thread ends the worker once it has this (and every message before it).
    post({ type: 'check-done' })
  })
}
