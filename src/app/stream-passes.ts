import { summarize, type Summary } from '../core/index.js'
import { EarlierFirsts, RunParts } from '../pipeline/index.js'
import type { FoundFile } from '../sources/index.js'
import type { ScanOptions } from './scan.js'
import type { Spool } from './spool.js'
import { checkFile, keptPartsOf, type FileResult, type StreamContext } from './stream-file.js'
import type { StreamWorkers } from './stream-threads.js'
import type { StreamTrace } from './stream-trace.js'

/** What the report needs of a file's result once its counts are added: kept by file index until the end. */
export type KeptResult = Omit<FileResult, 'summary' | 'blocking' | 'findings'>

/** The files' results of both passes, what the report needs of them kept in file order. */
export interface CheckedRun {
  /** Per file (by index); undefined never remains after the second pass. */
  files: (KeptResult | undefined)[]
  tally: Summary
  blocking: { findings: number; errors: number }
  findingCount: number
}

/** A first pass the workers have started: what they give is kept in `parts` as it comes. */
export interface FirstPass {
  files: readonly FoundFile[]
  parts: RunParts
  /** Per file, 1 once its bytes were read and name no Argo CD or Flux group (shared memory: every thread sets it). */
  plain: Uint8Array
}

/**
 * Start the first pass (the Namespaces and the parts cross-resource policies read) in the
 * workers, while the main thread has other work (the GitOps inventory); `checkFiles` joins it.
 */
export function startFirstPass(
  ctx: StreamContext,
  files: readonly FoundFile[],
  workers: StreamWorkers,
  trace: StreamTrace,
): FirstPass {
  const parts = new RunParts(ctx.policies)
  const plain = new Uint8Array(new SharedArrayBuffer(files.length))
  trace.mark('read start')
  workers.startRead(files, (i, p) => parts.addParts(i, p), plain)
  return { files, parts, plain }
}

/** The main thread joins the first pass (started by `startFirstPass`); settled when every thread is done with it. */
export async function readFiles(
  ctx: StreamContext,
  { files, parts, plain }: FirstPass,
  workers: StreamWorkers,
  options: ScanOptions,
  trace: StreamTrace,
): Promise<void> {
  const progress = options.onProgress ?? (() => {})
  trace.mark('main reads')
  await workers.read(async () => {
    let done = 0
    const firsts = new EarlierFirsts()
    for (let i = workers.claim(0); i < files.length; i = workers.claim(0)) {
      const p = keptPartsOf(ctx, files[i] as FoundFile, i, firsts, plain)
      if (p) parts.addParts(i, p)
      progress('Reading', i + 1, files.length)
      trace.sample('read', ++done)
      await workers.between(done)
    }
    trace.mark('read end')
  })
  trace.mark('read all')
  options.onProgressDone?.()
}

/** The second pass over the files (after `readFiles`), shared by the main thread and the workers. */
export async function checkFiles(
  ctx: StreamContext,
  { files, parts, plain }: FirstPass,
  workers: StreamWorkers,
  spool: Spool,
  options: ScanOptions,
  trace: StreamTrace,
): Promise<CheckedRun> {
  const progress = options.onProgress ?? (() => {})
  const run = parts.finish()
  trace.mark('finish done')

  // Second pass: check each file, spool its findings' text; counts are added as results come.
  const checked: CheckedRun = {
    files: new Array<KeptResult | undefined>(files.length),
    tally: summarize({ files: 0, resources: 0, policies: 0, checks: { pass: 0, fail: 0, error: 0, skip: 0 } }, [], []),
    blocking: { findings: 0, errors: 0 },
    findingCount: 0,
  }
  const take = (result: FileResult): void => {
    add(checked.tally, result.summary)
    checked.blocking.findings += result.blocking.findings
    checked.blocking.errors += result.blocking.errors
    checked.findingCount += result.findings
    // Kept for each of the run's files: only what the report reads, and no empty arrays of its own.
    const { file, thread, sourced, withFindings, segment, spool: name } = result
    checked.files[file] = {
      file,
      thread,
      sourced,
      read: nonEmpty(result.read),
      parse: nonEmpty(result.parse),
      check: nonEmpty(result.check),
      withFindings: nonEmpty(withFindings),
      ...(segment ? { segment } : {}),
      ...(name === undefined ? {} : { spool: name }),
    }
  }
  const expired = new Set<object>()
  const own = { thread: 0, append: (text: string) => spool.append(text) }
  await workers.check(
    () => run.data(),
    take,
    async () => {
      let done = 0
      for (let i = workers.claim(1); i < files.length; i = workers.claim(1)) {
        take(checkFile(ctx, i, files[i] as FoundFile, run, expired, own, plain))
        progress('Checking', i + 1, files.length)
        trace.sample('check', ++done)
        await workers.between(done)
      }
      trace.mark('check end')
    },
  )
  trace.mark('check all', true)
  options.onProgressDone?.()
  return checked
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

const EMPTY: never[] = []

function nonEmpty<T>(list: T[]): T[] {
  return list.length === 0 ? EMPTY : list
}
