import {
  summarize,
  verdictOf,
  type BlockingRule,
  type Diagnostic,
  type LocatedResource,
  type Summary,
} from '../core/index.js'
import type { ConfigResolver } from '../config/index.js'
import type { CompiledPolicySet } from '../engine/index.js'
import {
  checkResources,
  type EarlierFirsts,
  firstPassParts,
  firstPassPlaces,
  resourcesOf,
  type FileParts,
  type RunOutcomes,
  type SourceText,
} from '../pipeline/index.js'
import { sortFindings } from '../report/index.js'
import { namesGitOpsGroup } from '../gitops/index.js'
import { readSource, type FoundFile, type RawSource } from '../sources/index.js'
import { decodeSource } from '../yaml/index.js'
import { withEnvironment } from './collect-inputs.js'
import type { FindingSerializer } from './finding-serializer.js'
import { withMaskedStrings } from './redact-result.js'
import type { ScanOptions } from './scan.js'
import type { SpoolSegment } from './spool.js'

/**
 * The work of a streaming scan on one file, the same in every thread (stream-scan.ts on the
 * main thread, stream-worker.ts in a worker): what each file gives the first pass, and
 * checking it in the second. Results are plain data, merged in file order by the main thread.
 */
export interface StreamContext {
  options: Pick<ScanOptions, 'paths' | 'env' | 'maxFileSize'>
  cwd: string
  policies: CompiledPolicySet
  resolver: ConfigResolver
  /** The configuration's environment names. */
  names: readonly string[]
  rule: BlockingRule
  serializer: FindingSerializer
}

/** What checking one file gives the run (plain data: a worker posts it to the main thread). */
export interface FileResult {
  file: number
  /** The thread that checked it (0: the main thread). */
  thread: number
  /** Whether the file was read and decoded (it counts as a source). */
  sourced: boolean
  /** Problems reading it, then parsing it (not yet masked), then checking it (masked). */
  read: Diagnostic[]
  parse: Diagnostic[]
  check: Diagnostic[]
  summary: Summary
  blocking: { findings: number; errors: number }
  /** Ids of the policies with findings, in the order found. */
  withFindings: string[]
  findings: number
  /** Where its findings' text is (none without findings), and in which thread's spool file (none: the main's). */
  segment?: SpoolSegment
  spool?: string
}

/** A file's text in its environment; a problem reading or decoding it goes to `diagnostics`, if given. */
function sourceFrom(
  ctx: StreamContext,
  read: RawSource | Diagnostic,
  diagnostics?: Diagnostic[],
): SourceText | undefined {
  if (!('bytes' in read)) {
    diagnostics?.push(read)
    return undefined
  }
  const decoded = decodeSource(read.bytes, read.path)
  if (!('text' in decoded)) {
    diagnostics?.push(decoded.diagnostic)
    return undefined
  }
  const source = { path: read.path, text: decoded.text }
  return withEnvironment(source, ctx.options.paths, ctx.cwd, ctx.resolver.environmentForFile(source.path), ctx.names)
}

function environmentOf(ctx: StreamContext, r: LocatedResource): string | undefined {
  return ctx.options.env ?? r.environment ?? ctx.resolver.environmentForFile(r.file)
}

/**
 * The first pass on one file: its Namespaces and the parts the cross-resource policies read
 * (nothing for a file that cannot be read: the second pass reports it). Read without
 * positions, and only the documents whose header says something may be kept of them
 * (pipeline/kept-parts.ts), nor those whose part an earlier file of this thread gave. `firsts`
 * is this thread's memory of those parts for one pass over one list of files (indices are
 * positions in that list: a pass started again over other files needs a new one).
 * `plain[index]` is set to 1 when the file's bytes were read and name no Argo CD or Flux
 * group: the GitOps inventory need not read it again (stream-gitops.ts).
 */
export function keptPartsOf(
  ctx: StreamContext,
  file: FoundFile,
  index: number,
  firsts: EarlierFirsts,
  plain?: Uint8Array,
): FileParts | undefined {
  const read = readSource(file, ctx.options.maxFileSize)
  if (plain && 'bytes' in read && !namesGitOpsGroup(read.bytes)) Atomics.store(plain, index, 1)
  const source = sourceFrom(ctx, read)
  if (!source) return undefined
  return firstPassParts(ctx.policies, source, (r) => environmentOf(ctx, r), { file: index, firsts })
}

/** `plain[index]` of a file plain in the first pass whose bytes name Argo CD or Flux in the second: the run is held. */
export const CHANGED_TO_GITOPS = 2

/**
 * The second pass on one file: read, parse, check with the run's Namespaces and the file's
 * cross-resource outcomes, mask, and append its findings' text (sorted, serialized) to a spool.
 * `expired`: the waivers this thread already reported expired (the main thread keeps the first
 * report of each in file order).
 */
export function checkFile(
  ctx: StreamContext,
  index: number,
  file: FoundFile,
  run: RunOutcomes,
  expired: Set<object>,
  spool: { thread: number; name?: string; append: (text: string) => SpoolSegment },
  plain?: Uint8Array,
): FileResult {
  const read: Diagnostic[] = []
  const raw = readSource(file, ctx.options.maxFileSize)
  // Plain when the first pass read it, naming Argo CD or Flux now: the GitOps inventory never saw it.
  if (plain && 'bytes' in raw && Atomics.load(plain, index) === 1 && namesGitOpsGroup(raw.bytes))
    Atomics.store(plain, index, CHANGED_TO_GITOPS)
  const source = sourceFrom(ctx, raw, read)
  const result: FileResult = {
    file: index,
    thread: spool.thread,
    sourced: source !== undefined,
    read,
    parse: [],
    check: [],
    summary: summarize(
      { files: 0, resources: 0, policies: 0, checks: { pass: 0, fail: 0, error: 0, skip: 0 } },
      [],
      [],
    ),
    blocking: { findings: 0, errors: 0 },
    withFindings: [],
    findings: 0,
  }
  if (!source) return result
  const parsed = resourcesOf(source)
  result.parse = parsed.diagnostics
  // A document that does not parse: the first pass may have numbered the file's resources otherwise.
  const places = parsed.diagnostics.length > 0 ? firstPassPlaces(source, parsed.resources) : undefined
  const outcomes = run.outcomesOf(
    index,
    parsed.resources.map((r) => r.object),
    parsed.resources.map((r) => environmentOf(ctx, r)),
    places,
  )
  const checked = withMaskedStrings(
    checkResources(parsed.resources, [source], [], {
      policies: ctx.policies,
      resolver: ctx.resolver,
      ...(ctx.options.env === undefined ? {} : { environment: ctx.options.env }),
      namespaces: run.namespaces,
      crossOutcomes: (i) => outcomes.get(places ? (places[i] as number) : i) ?? [],
      expiredWaivers: expired,
    }),
  )
  result.check = checked.diagnostics
  result.summary = checked.summary
  const verdict = verdictOf(checked.findings, [], ctx.rule)
  result.blocking = { findings: verdict.findings, errors: verdict.errors }
  if (checked.findings.length > 0) {
    const ids = new Set<string>()
    for (const f of checked.findings) ids.add(f.policyId)
    result.withFindings = [...ids]
    result.findings = checked.findings.length
    result.segment = spool.append(ctx.serializer.text(sortFindings(checked.findings)))
    if (spool.name !== undefined) result.spool = spool.name
  }
  return result
}
