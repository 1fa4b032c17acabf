import { statSync } from 'node:fs'
import path from 'node:path'
import { setFlagsFromString } from 'node:v8'
import {
  summarize,
  verdictOf,
  type BlockingRule,
  type Diagnostic,
  type Finding,
  type LocatedResource,
  type PolicyMeta,
  type Summary,
  type Verdict,
} from '../core/index.js'
import type { ConfigResolver, PalisadeConfig } from '../config/index.js'
import type { GitOpsScan } from '../gitops/index.js'
import { checkResources, crossReadsDeclared, resourcesOf, RunParts, type SourceText } from '../pipeline/index.js'
import { objectsOf } from '../pipeline/index.js'
import { sortFindings } from '../report/index.js'
import { discoverFiles, FileReads, readSource, type FoundFile } from '../sources/index.js'
import { decodeSource } from '../yaml/index.js'
import { withEnvironment } from './collect-inputs.js'
import type { AppIo } from './io.js'
import type { PolicySet } from './policy-set.js'
import { masked, withMaskedStrings } from './redact-result.js'
import { renderGitOps } from './render-gitops.js'
import { prepareScan, runScan, type ScanOptions, type ScanOutcome } from './scan.js'
import { Spool, type SpoolSegment } from './spool.js'

/** How a report prints findings while the scan goes on: one file's findings (masked, in report order) as text. */
export interface FindingSerializer {
  /** The text of one file's findings (never called with none). */
  text(findings: readonly Finding[]): string
  /** What goes between two files' texts. */
  separator: string
}

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

/**
 * `palisade scan` without holding the run: every file is read, parsed, checked and dropped
 * in turn; its findings are masked, sorted and serialized, and the text is written to a
 * spool under the system's temporary folder; `print` gets the counts and the text back in
 * report order, and the spool is removed afterwards (also on error). A first pass over the
 * files keeps only the Namespaces and what cross-resource policies declare they read
 * (CompiledPolicy.reads), so each file's findings are complete when it is checked.
 *
 * What needs the whole run goes the buffered way (`runScan`) and comes back as `buffered`:
 * rendered GitOps resources (findings grouped across renders), image rules (facts gathered for
 * all images), recording in the store, stdin, cross-resource policies that do not declare
 * what they read, and two files printed under one masked name.
 */
export async function runStreamingScan(
  options: ScanOptions,
  io: AppIo,
  /** The report's serializer, for the run's policies (by id, in the set's order). */
  serializerFor: (policies: ReadonlyMap<string, PolicyMeta>) => FindingSerializer,
  print: (scan: StreamedScan) => Promise<void>,
  /** Below this many bytes of files the run is held (one pass is cheaper, and memory no concern). */
  streamFromBytes = STREAM_FROM_BYTES,
): Promise<{ buffered: ScanOutcome } | { streamed: true }> {
  const prepared = await prepareScan(options, io)
  const { policySet, resolver } = prepared
  const { config, policies } = policySet
  const whole =
    options.paths.includes('-') ||
    (config.images?.length ?? 0) > 0 ||
    config.store?.record === true ||
    !crossReadsDeclared(policies)
  if (whole) return { buffered: await runScan(options, io, { scan: prepared }) }
  const progress = options.onProgress ?? (() => {})
  // The inventory reads every YAML file to look for Argo CD and Flux objects; nothing is kept for later.
  const gitops = options.render
    ? await renderGitOps(
        options.paths,
        options,
        config,
        resolver,
        io,
        undefined,
        new FileReads(options.maxFileSize, false),
        (d, t) => progress('Rendering', d, t),
      )
    : undefined
  if (gitops && gitops.resources.length > 0)
    return { buffered: await runScan(options, io, { scan: prepared, rendered: gitops }) }
  const discovered = await discoverFiles(options.paths, { cwd: io.cwd })
  const files = gitops
    ? discovered.files.filter((f) => !gitops.consumedFiles.has(path.resolve(f.absolutePath)))
    : discovered.files
  // Report order is by the printed (masked) file name: two files under one name would interleave.
  const printed = files.map((f) => masked(f.path))
  if (new Set(printed).size < printed.length || bytesOf(files, streamFromBytes) < streamFromBytes)
    return { buffered: await runScan(options, io, { scan: prepared, ...(gitops ? { rendered: gitops } : {}) }) }

  const names = config.environments.map((e) => e.name)
  const metas = new Map(policies.policies.map((p) => [p.meta.id, p.meta]))
  const serializer = serializerFor(metas)
  const blockRule = rule(options, config)
  const sourceOf = (file: FoundFile, diagnostics?: Diagnostic[]): SourceText | undefined => {
    const read = readSource(file, options.maxFileSize)
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
    return withEnvironment(source, options.paths, io.cwd, resolver.environmentForFile(source.path), names)
  }
  const environmentOf = (r: LocatedResource): string | undefined =>
    options.env ?? r.environment ?? resolver.environmentForFile(r.file)

  // Two passes over the files: the first keeps what the whole run needs, the second checks each file and spools its findings.
  const readDiagnostics: Diagnostic[] = []
  const parseDiagnostics: Diagnostic[] = []
  const checkDiagnostics: Diagnostic[] = []
  const expiredWaivers = new Set<object>()
  const checks = { pass: 0, fail: 0, error: 0, skip: 0 }
  const tally = summarize({ files: 0, resources: 0, policies: 0, checks }, [], [])
  const blocking = { findings: 0, errors: 0 }
  const withFindings = new Set<string>()
  const segments: { name: string; segment: SpoolSegment }[] = []
  let sources = 0
  let findingCount = 0
  const spool = new Spool()
  // What stays alive is small and does not grow with the run (the parts, a file at a time): the
  // heap is let grow by half its live size between full collections, not V8's up to four times.
  setFlagsFromString('--heap-growing-percent=50')
  try {
    // First pass: the Namespaces and the parts cross-resource policies read.
    const parts = new RunParts(policies)
    files.forEach((file, i) => {
      const source = sourceOf(file)
      if (!source) return
      const { resources } = objectsOf(source)
      parts.add(i, resources, resources.map(environmentOf))
      progress('Reading', i + 1, files.length)
    })
    options.onProgressDone?.()
    const run = parts.finish()

    files.forEach((file, i) => {
      const source = sourceOf(file, readDiagnostics)
      if (!source) return
      sources++
      const parsed = resourcesOf(source)
      parseDiagnostics.push(...parsed.diagnostics)
      const outcomes = run.outcomesOf(i)
      const checked = withMaskedStrings(
        checkResources(parsed.resources, [source], [], {
          policies,
          resolver,
          ...(options.env === undefined ? {} : { environment: options.env }),
          namespaces: run.namespaces,
          crossOutcomes: (place) => outcomes.get(place) ?? [],
          expiredWaivers,
        }),
      )
      checkDiagnostics.push(...checked.diagnostics)
      add(tally, checked.summary)
      const verdict = verdictOf(checked.findings, [], blockRule)
      blocking.findings += verdict.findings
      blocking.errors += verdict.errors
      if (checked.findings.length > 0) {
        for (const f of checked.findings) withFindings.add(f.policyId)
        findingCount += checked.findings.length
        const text = serializer.text(sortFindings(checked.findings))
        segments.push({ name: printed[i] as string, segment: spool.append(text) })
      }
      progress('Checking', i + 1, files.length)
    })
    options.onProgressDone?.()
    segments.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const unread = [...discovered.diagnostics, ...readDiagnostics].filter((d) => d.span !== undefined).length
    const diagnostics = [
      ...policySet.diagnostics,
      ...discovered.diagnostics,
      ...readDiagnostics,
      ...(gitops?.diagnostics ?? []),
      ...parseDiagnostics,
    ].map(masked)
    diagnostics.push(...checkDiagnostics)
    const summary = summarize(
      {
        files: sources + (gitops?.texts.size ?? 0) + unread,
        resources: tally.resources,
        policies: policies.policies.length,
        checks: tally.checks,
      },
      [],
      diagnostics,
    )
    for (const key of ['findings', 'waived'] as const) summary[key] = tally[key]
    summary.bySeverity = tally.bySeverity
    summary.byAction = tally.byAction
    const errors = verdictOf([], diagnostics, blockRule).errors + blocking.errors
    await print({
      summary,
      diagnostics,
      policies: metas,
      verdict: { blocking: blocking.findings + errors > 0, findings: blocking.findings, errors },
      findingCount,
      policiesWithFindings: withFindings,
      *findingText() {
        let first = true
        for (const { segment } of segments) {
          if (!first) yield serializer.separator
          first = false
          // A file's text whole: a report may fill in parts of it (SARIF's rule indexes).
          yield [...spool.read(segment)].join('')
        }
      },
      config,
      policySet,
      resolver,
      ...(gitops ? { gitops } : {}),
      rule: blockRule,
    })
  } finally {
    setFlagsFromString('--heap-growing-percent=0')
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
function rule(options: ScanOptions, config: PalisadeConfig): BlockingRule {
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
