import { statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setFlagsFromString } from 'node:v8'
import type { BlockingRule } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import type { GitOpsScan } from '../gitops/index.js'
import { crossReadsDeclared } from '../pipeline/index.js'
import { discoverFiles, type FoundFile } from '../sources/index.js'
import { findingSerializer, type StreamFormat } from './finding-serializer.js'
import type { AppIo } from './io.js'
import { masked } from './redact-result.js'
import { holdsRenderLayout } from './render-gitops.js'
import { prepareScan, runScan, type ScanOptions, type ScanOutcome } from './scan.js'
import { Spool } from './spool.js'
import { CHANGED_TO_GITOPS, type StreamContext } from './stream-file.js'
import { afterFirstPass, streamInventory } from './stream-gitops.js'
import { checkFiles, readFiles, startFirstPass } from './stream-passes.js'
import { streamedScan, type StreamedScan } from './stream-report.js'
import { StreamWorkers } from './stream-threads.js'
import { StreamTrace } from './stream-trace.js'

/** How a streaming scan runs, beyond the scan's options (tests and the CLI's PALISADE_THREADS set these). */
export interface StreamTuning {
  /** Below this many bytes of files the run is held (one pass is cheaper, and memory no concern). */
  fromBytes?: number
  /** Threads to use, the main thread included (1: no worker threads); else chosen by the files' bytes. */
  threads?: number
  /** Test seam: a worker thread throws in this pass. */
  workerFault?: 'read' | 'check'
}

/**
 * `palisade scan` without holding the run: every file is read, parsed, checked and dropped
 * in turn; its findings are masked, sorted and serialized, and the text is written to a
 * spool under the system's temporary folder; `print` gets the counts and the text back in
 * report order, and the spool is removed afterwards (also on error). A first pass over the
 * files keeps only the Namespaces and what cross-resource policies declare they read
 * (CompiledPolicy.reads), so each file's findings are complete when it is checked. On a run
 * with seconds of work, worker threads share both passes with the main thread
 * (stream-threads.ts); the report is the same bytes.
 *
 * What needs the whole run goes the buffered way (`runScan`) and comes back as `buffered`:
 * rendered GitOps resources (findings grouped across renders), image rules (facts gathered for
 * all images), recording in the store, stdin, cross-resource policies that do not declare
 * what they read, and two files printed under one masked name.
 */
export async function runStreamingScan(
  options: ScanOptions,
  io: AppIo,
  /** The report the findings are serialized for. */
  report: StreamFormat,
  print: (scan: StreamedScan) => Promise<void>,
  tuning: StreamTuning = {},
): Promise<{ buffered: ScanOutcome } | { streamed: true }> {
  // One time for the run: worker threads judge waivers' expiry at the same instant.
  const at = io.now()
  const trace = new StreamTrace(io.env, 0)
  trace.mark(`scan start (process up ${performance.now().toFixed(0)} ms)`)
  const runIo = { ...io, now: () => at }
  const prepared = await prepareScan(options, runIo)
  trace.mark('policy set loaded')
  const { config, policies } = prepared.policySet
  const whole =
    options.paths.includes('-') ||
    (config.images?.length ?? 0) > 0 ||
    config.store?.record === true ||
    !crossReadsDeclared(policies)
  if (whole) return { buffered: await runScan(options, runIo, { scan: prepared }) }
  // Discovery first: a run large enough for threads starts its workers now, and they load the
  // policy set and start the first pass.
  const discovered = await discoverFiles(options.paths, { cwd: io.cwd })
  trace.mark('discovered')
  const fromBytes = tuning.fromBytes ?? STREAM_FROM_BYTES
  const cores = os.availableParallelism()
  const bytes = bytesOf(discovered.files, Math.max(fromBytes, cores * THREAD_BYTES))
  const threads = tuning.threads ?? Math.max(1, Math.min(cores, Math.floor(bytes / THREAD_BYTES)))
  if (bytes < fromBytes) {
    const gitops = await streamInventory(options, runIo, prepared)
    return { buffered: await runScan(options, runIo, { scan: prepared, ...(gitops ? { rendered: gitops } : {}) }) }
  }
  const rule = blockingRule(options, config)
  const ctx: StreamContext = {
    options,
    cwd: io.cwd,
    policies,
    resolver: prepared.resolver,
    names: config.environments.map((e) => e.name),
    rule,
    serializer: findingSerializer(
      report,
      policies.policies.map((p) => p.meta.id),
    ),
  }
  const spool = new Spool()
  const start = (): StreamWorkers =>
    new StreamWorkers(threads - 1, workerData(options, runIo, at, report, rule, tuning), spool)
  let workers: StreamWorkers | undefined
  let streaming = false
  const held = async (gitops: GitOpsScan | undefined): Promise<{ buffered: ScanOutcome }> => {
    await workers?.stop()
    return { buffered: await runScan(options, runIo, { scan: prepared, ...(gitops ? { rendered: gitops } : {}) }) }
  }
  try {
    workers = start()
    trace.mark('workers started')
    // The workers start the first pass now, while the main thread looks for charts and overlays.
    let first = startFirstPass(ctx, discovered.files, workers, trace)
    // With charts or overlays, the GitOps inventory runs first (a render may consume files: the
    // first pass starts again without them). Without, it runs after the first pass, over the
    // bytes that pass read (stream-gitops.ts): only Argo CD and Flux objects can give it anything.
    // A chart in render.charts is a render wherever it is (the walk may not see it).
    const early = options.render && (config.render.charts.length > 0 || (await holdsRenderLayout(options.paths, runIo)))
    let gitops = early ? await streamInventory(options, runIo, prepared) : undefined
    if (options.render) trace.mark(early ? 'inventory done' : 'layout looked')
    const files = gitops
      ? discovered.files.filter((f) => !gitops?.consumedFiles.has(path.resolve(f.absolutePath)))
      : discovered.files
    // Report order is by the printed (masked) file name: two files under one name would interleave.
    const printed = files.map((f) => masked(f.path))
    if ((gitops && gitops.resources.length > 0) || new Set(printed).size < printed.length) return await held(gitops)
    if (files.length < discovered.files.length) {
      // Files a render consumed are not scanned as plain files: the first pass starts again without them.
      await workers.stop()
      workers = start()
      first = startFirstPass(ctx, files, workers, trace)
    }
    await readFiles(ctx, first, workers, options, trace)
    // After the first pass, the inventory reads again only the files that pass could not clear.
    // If it cleared every file, the inventory can find no Argo CD or Flux object: it runs on the
    // main thread beside the second pass (for its diagnostics). Else it runs before, since the
    // objects it finds have their renders grouped across the run (the held path).
    let late: Promise<GitOpsScan | undefined> | undefined
    if (options.render && !early) {
      late = streamInventory(options, runIo, prepared, afterFirstPass(first, options.maxFileSize))
      late.catch(() => {}) // awaited below: not unhandled meanwhile
      if (!first.plain.every((b) => b === 1)) {
        gitops = await late
        late = undefined
        trace.mark('inventory done')
        if (rendersSomething(gitops)) return await held(gitops)
      }
    }
    // What stays alive is small and does not grow with the run (the parts, a file at a time): each
    // thread's heap is let grow by a quarter of its live size between full collections, not V8's
    // up to four times (the flag is the process's: workers' heaps too). 25 against 50: peak
    // 264-272 MiB against 276-291 at dense 20k with two threads, the same CPU (docs/performance.md).
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
    streaming = true
    const checked = await checkFiles(ctx, first, workers, spool, options, trace)
    if (late) {
      gitops = await late
      trace.mark('inventory done')
      // Only if a file changed since the first pass read it.
      if (rendersSomething(gitops)) {
        setFlagsFromString('--heap-growing-percent=0')
        streaming = false
        return await held(gitops)
      }
    }
    // A file plain in the first pass that names Argo CD or Flux in the second: what it declares
    // was never looked for, so the run is scanned again, held (its renders found afresh).
    if (first.plain.includes(CHANGED_TO_GITOPS)) {
      setFlagsFromString('--heap-growing-percent=0')
      streaming = false
      return await held(undefined)
    }
    trace.mark('report start')
    await print(streamedScan(ctx, prepared, { checked, printed, spool, discovered: discovered.diagnostics, gitops }))
    trace.mark('report end', true)
  } finally {
    if (streaming) setFlagsFromString('--heap-growing-percent=0')
    await workers?.stop()
    spool.remove()
  }
  return { streamed: true }
}

/**
 * Streaming reads and parses every file twice (the first pass for what the whole run needs):
 * on small runs that costs more than holding them, and memory is no concern (11.9 MB of
 * YAML peak at under 300 MiB held). Measured: docs/performance.md.
 */
const STREAM_FROM_BYTES = 16 * 1024 * 1024

/** How far a heap may grow past its live size between full collections while streaming (V8's flag). */
const HEAP_GROWING_PERCENT = 25

/**
 * A worker thread per this many bytes of files, up to the machine's cores: a worker costs its
 * own start-up, policy compilation and JIT warm-up (~0.2 s of CPU), which a few seconds of
 * scanning pays back. Measured: docs/performance.md, "Worker threads in the streaming scan".
 */
const THREAD_BYTES = 16 * 1024 * 1024

/** Whether a GitOps scan rendered resources or covers files: then the run is held (`runScan`). */
function rendersSomething(gitops: GitOpsScan | undefined): boolean {
  return gitops !== undefined && (gitops.resources.length > 0 || gitops.consumedFiles.size > 0)
}

/** What the worker threads are started with: the options without callbacks, the run's time and report. */
function workerData(
  options: ScanOptions,
  io: AppIo,
  at: Date,
  report: StreamFormat,
  rule: BlockingRule,
  tuning: StreamTuning,
): ConstructorParameters<typeof StreamWorkers>[1] {
  const plain = Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v !== 'function'))
  return {
    options: plain as unknown as ScanOptions,
    cwd: io.cwd,
    env: { ...io.env },
    now: at.getTime(),
    report,
    rule,
    ...(tuning.workerFault ? { fault: tuning.workerFault } : {}),
  }
}

/** The files' sizes added up, stopping at `enough` (a file that cannot be stat'ed counts nothing; reading it reports it). */
function bytesOf(files: readonly FoundFile[], enough: number): number {
  let total = 0
  for (const file of files) {
    if (total >= enough) break
    try {
      total += statSync(file.absolutePath).size
    } catch {
      // Read later, where its problem becomes a diagnostic.
    }
  }
  return total
}

/** The rule by which a scan blocks: `--fail-on` over palisade.yaml, and its `errors:` mode. */
function blockingRule(options: ScanOptions, config: PalisadeConfig): BlockingRule {
  const failOn = options.failOn ?? config.failOn
  return { ...(failOn ? { failOn } : {}), ...(config.errors ? { errors: config.errors } : {}) }
}
