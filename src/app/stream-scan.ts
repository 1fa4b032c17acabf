import { statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setFlagsFromString } from 'node:v8'
import {
  summarize,
  verdictOf,
  type BlockingRule,
  type Diagnostic,
  type PolicyMeta,
  type Summary,
  type Verdict,
} from '../core/index.js'
import type { ConfigResolver, PalisadeConfig } from '../config/index.js'
import type { GitOpsScan } from '../gitops/index.js'
import { crossReadsDeclared, RunParts } from '../pipeline/index.js'
import { discoverFiles, FileReads, type FoundFile } from '../sources/index.js'
import { findingSerializer, type StreamFormat } from './finding-serializer.js'
import type { AppIo } from './io.js'
import type { PolicySet } from './policy-set.js'
import { masked } from './redact-result.js'
import { renderGitOps } from './render-gitops.js'
import { prepareScan, runScan, type PreparedScan, type ScanOptions, type ScanOutcome } from './scan.js'
import { Spool } from './spool.js'
import { checkFile, keptPartsOf, type FileResult, type StreamContext } from './stream-file.js'
import { StreamWorkers } from './stream-threads.js'

/** A streamed scan, ready to print: everything but the findings, which come back as text in report order. */
export interface StreamedScan {
  /** Counted as the whole result's summary would be. */
  summary: Summary
  /** Masked; in the order the whole result would list them (reports sort them). */
  diagnostics: Diagnostic[]
  policies: ReadonlyMap<string, PolicyMeta>
  verdict: Verdict
  findingCount: number
  /** Ids of the policies with findings. */
  policiesWithFindings: ReadonlySet<string>
  /** The findings' text (the serializer's, files in report order, separators between), read back from the spool a file at a time. */
  findingText(): Generator<string>
  config: PalisadeConfig
  policySet: PolicySet
  resolver: ConfigResolver
  gitops?: GitOpsScan
  rule: BlockingRule
}

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
  const runIo = { ...io, now: () => at }
  const prepared = await prepareScan(options, runIo)
  const { config, policies } = prepared.policySet
  const whole =
    options.paths.includes('-') ||
    (config.images?.length ?? 0) > 0 ||
    config.store?.record === true ||
    !crossReadsDeclared(policies)
  if (whole) return { buffered: await runScan(options, runIo, { scan: prepared }) }
  const gitops = await inventory(options, runIo, prepared)
  if (gitops && gitops.resources.length > 0)
    return { buffered: await runScan(options, runIo, { scan: prepared, rendered: gitops }) }
  const discovered = await discoverFiles(options.paths, { cwd: io.cwd })
  const files = gitops
    ? discovered.files.filter((f) => !gitops.consumedFiles.has(path.resolve(f.absolutePath)))
    : discovered.files
  // Report order is by the printed (masked) file name: two files under one name would interleave.
  const printed = files.map((f) => masked(f.path))
  const fromBytes = tuning.fromBytes ?? STREAM_FROM_BYTES
  const cores = os.availableParallelism()
  const bytes = bytesOf(files, Math.max(fromBytes, cores * THREAD_BYTES))
  if (new Set(printed).size < printed.length || bytes < fromBytes)
    return { buffered: await runScan(options, runIo, { scan: prepared, ...(gitops ? { rendered: gitops } : {}) }) }

  const ctx: StreamContext = {
    options,
    cwd: io.cwd,
    policies,
    resolver: prepared.resolver,
    names: config.environments.map((e) => e.name),
    rule: blockingRule(options, config),
    serializer: findingSerializer(
      report,
      policies.policies.map((p) => p.meta.id),
    ),
  }
  const spool = new Spool()
  // What stays alive is small and does not grow with the run (the parts, a file at a time): the
  // heap is let grow by half its live size between full collections, not V8's up to four times.
  setFlagsFromString('--heap-growing-percent=50')
  let workers: StreamWorkers | undefined
  try {
    const threads = tuning.threads ?? Math.max(1, Math.min(cores, Math.floor(bytes / THREAD_BYTES)))
    workers = new StreamWorkers(threads - 1, workerData(options, runIo, at, report, ctx.rule, tuning), spool)
    const checked = await checkFiles(ctx, files, workers, spool, options)
    await print(streamedScan(ctx, prepared, { checked, printed, spool, discovered: discovered.diagnostics, gitops }))
  } finally {
    setFlagsFromString('--heap-growing-percent=0')
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

/**
 * A worker thread per this many bytes of files, up to the machine's cores: a worker costs its
 * own start-up, policy compilation and JIT warm-up (~0.2 s of CPU), which a few seconds of
 * scanning pays back. Measured: docs/performance.md, "Worker threads in the streaming scan".
 */
const THREAD_BYTES = 16 * 1024 * 1024

/** The GitOps inventory (unless --no-render): it reads every YAML file to look for Argo CD and Flux objects; nothing is kept for later. */
async function inventory(options: ScanOptions, io: AppIo, prepared: PreparedScan): Promise<GitOpsScan | undefined> {
  if (!options.render) return undefined
  const progress = options.onProgress ?? (() => {})
  return renderGitOps(
    options.paths,
    options,
    prepared.policySet.config,
    prepared.resolver,
    io,
    undefined,
    new FileReads(options.maxFileSize, false),
    (d, t) => progress('Rendering', d, t),
  )
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

/** The files' results of both passes, what the report needs of them kept in file order. */
interface CheckedRun {
  /** Per file (by index): its result without its summary; undefined never remains after the second pass. */
  files: (FileResult | undefined)[]
  tally: Summary
  blocking: { findings: number; errors: number }
  findingCount: number
}

/** Both passes over the files, shared by the main thread and the workers. */
async function checkFiles(
  ctx: StreamContext,
  files: readonly FoundFile[],
  workers: StreamWorkers,
  spool: Spool,
  options: ScanOptions,
): Promise<CheckedRun> {
  const progress = options.onProgress ?? (() => {})
  // First pass: the Namespaces and the parts cross-resource policies read.
  const parts = new RunParts(ctx.policies)
  await workers.read(
    files,
    (i, p) => parts.addParts(i, p),
    () => {
      for (let i = workers.claim(0); i < files.length; i = workers.claim(0)) {
        const p = keptPartsOf(ctx, files[i] as FoundFile)
        if (p) parts.addParts(i, p)
        progress('Reading', i + 1, files.length)
      }
    },
  )
  options.onProgressDone?.()
  const run = parts.finish()

  // Second pass: check each file, spool its findings' text; counts are added as results come.
  const checked: CheckedRun = {
    files: new Array<FileResult | undefined>(files.length),
    tally: summarize({ files: 0, resources: 0, policies: 0, checks: { pass: 0, fail: 0, error: 0, skip: 0 } }, [], []),
    blocking: { findings: 0, errors: 0 },
    findingCount: 0,
  }
  const take = (result: FileResult): void => {
    add(checked.tally, result.summary)
    checked.blocking.findings += result.blocking.findings
    checked.blocking.errors += result.blocking.errors
    checked.findingCount += result.findings
    checked.files[result.file] = result
  }
  const expired = new Set<object>()
  const own = { thread: 0, append: (text: string) => spool.append(text) }
  await workers.check(
    () => run.data(),
    take,
    () => {
      for (let i = workers.claim(1); i < files.length; i = workers.claim(1)) {
        take(checkFile(ctx, i, files[i] as FoundFile, run, expired, own))
        progress('Checking', i + 1, files.length)
      }
    },
  )
  options.onProgressDone?.()
  return checked
}

/**
 * The report of a streamed run: its diagnostics in the order the whole result lists them
 * (policy set, discovery, reading, GitOps, parsing, then checking), counts, verdict, and the
 * findings' text read back from the spool files in report order (by printed file name).
 */
function streamedScan(
  ctx: StreamContext,
  prepared: PreparedScan,
  run: {
    checked: CheckedRun
    printed: readonly string[]
    spool: Spool
    discovered: readonly Diagnostic[]
    gitops: GitOpsScan | undefined
  },
): StreamedScan {
  const { checked, spool, gitops } = run
  const { policySet } = prepared
  const results = checked.files.filter((r): r is FileResult => r !== undefined)
  const read = results.flatMap((r) => r.read)
  const unread = [...run.discovered, ...read].filter((d) => d.span !== undefined).length
  const diagnostics = [
    ...policySet.diagnostics,
    ...run.discovered,
    ...read,
    ...(gitops?.diagnostics ?? []),
    ...results.flatMap((r) => r.parse),
  ].map(masked)
  diagnostics.push(...checkDiagnostics(results))
  const summary = summarize(
    {
      files: results.filter((r) => r.sourced).length + (gitops?.texts.size ?? 0) + unread,
      resources: checked.tally.resources,
      policies: ctx.policies.policies.length,
      checks: checked.tally.checks,
    },
    [],
    diagnostics,
  )
  for (const key of ['findings', 'waived'] as const) summary[key] = checked.tally[key]
  summary.bySeverity = checked.tally.bySeverity
  summary.byAction = checked.tally.byAction
  const errors = verdictOf([], diagnostics, ctx.rule).errors + checked.blocking.errors
  const withFindings = new Set<string>()
  for (const r of results) for (const id of r.withFindings) withFindings.add(id)
  const segments = results
    .filter((r) => r.segment !== undefined)
    .map((r) => ({ name: run.printed[r.file] as string, result: r }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const separator = ctx.serializer.separator
  return {
    summary,
    diagnostics,
    policies: new Map(ctx.policies.policies.map((p) => [p.meta.id, p.meta])),
    verdict: { blocking: checked.blocking.findings + errors > 0, findings: checked.blocking.findings, errors },
    findingCount: checked.findingCount,
    policiesWithFindings: withFindings,
    *findingText() {
      let first = true
      for (const { result } of segments) {
        if (!first) yield separator
        first = false
        // A file's text whole: a report may fill in parts of it (SARIF's rule indexes).
        if (result.segment) yield [...spool.read(result.segment, result.spool)].join('')
      }
    },
    config: policySet.config,
    policySet,
    resolver: prepared.resolver,
    ...(gitops ? { gitops } : {}),
    rule: ctx.rule,
  }
}

/**
 * The files' check diagnostics in file order. An expired waiver is reported once per run, at
 * its first finding: each thread reports it at its own first, so a report from another
 * thread than the first one's is dropped (the same waiver: the same code, message and place).
 */
function checkDiagnostics(results: readonly FileResult[]): Diagnostic[] {
  const firstBy = new Map<string, number>()
  const out: Diagnostic[] = []
  for (const r of results)
    for (const d of r.check) {
      if (d.code === 'WAIVER_EXPIRED') {
        const key = JSON.stringify([d.message, d.span])
        const thread = firstBy.get(key)
        if (thread !== undefined && thread !== r.thread) continue
        firstBy.set(key, r.thread)
      }
      out.push(d)
    }
  return out
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

/** Add a file's counts to the run's. */
function add(total: Summary, part: Summary): void {
  total.resources += part.resources
  total.findings += part.findings
  total.waived += part.waived
  for (const k of Object.keys(part.checks) as (keyof Summary['checks'])[]) total.checks[k] += part.checks[k]
  for (const k of Object.keys(part.bySeverity) as (keyof Summary['bySeverity'])[])
    total.bySeverity[k] += part.bySeverity[k]
  for (const k of Object.keys(part.byAction) as (keyof Summary['byAction'])[]) total.byAction[k] += part.byAction[k]
}
