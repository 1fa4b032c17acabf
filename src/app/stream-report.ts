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
import type { PolicySet } from './policy-set.js'
import { masked } from './redact-result.js'
import type { PreparedScan } from './scan.js'
import type { Spool } from './spool.js'
import type { StreamContext } from './stream-file.js'
import type { CheckedRun, KeptResult } from './stream-passes.js'

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
  /**
   * The findings' text (the serializer's, files in report order, separators between) as the
   * spool's bytes, copied without decoding, about a megabyte to a piece; a piece holds whole
   * files (a report may fill in parts of one: SARIF's rule indexes).
   */
  findingText(): Generator<Buffer>
  config: PalisadeConfig
  policySet: PolicySet
  resolver: ConfigResolver
  gitops?: GitOpsScan
  rule: BlockingRule
}

/**
 * The report of a streamed run: its diagnostics in the order the whole result lists them
 * (policy set, discovery, reading, GitOps, parsing, then checking), counts, verdict, and the
 * findings' text read back from the spool files in report order (by printed file name).
 */
export function streamedScan(
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
  const results = checked.files.filter((r): r is KeptResult => r !== undefined)
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
    findingText: () => spoolBytes(spool, segments, separator),
    config: policySet.config,
    policySet,
    resolver: prepared.resolver,
    ...(gitops ? { gitops } : {}),
    rule: ctx.rule,
  }
}

/** The size of the pieces the findings' bytes are copied in. */
const PIECE = 1 << 20

/**
 * Files' segments of the spool in the order given, `separator` between them, as bytes in
 * pieces of about PIECE (a larger file's alone): each piece a new buffer (a writer may hold
 * it), each file whole in one piece.
 */
function* spoolBytes(spool: Spool, segments: readonly { result: KeptResult }[], separator: string): Generator<Buffer> {
  const between = Buffer.from(separator, 'utf8')
  let piece: Buffer | undefined
  let used = 0
  let first = true
  for (const { result } of segments) {
    if (!result.segment) continue
    const need = (first ? 0 : between.length) + result.segment.length
    if (piece && used + need > piece.length) {
      yield piece.subarray(0, used)
      piece = undefined
    }
    if (!piece) {
      piece = Buffer.allocUnsafe(Math.max(PIECE, need))
      used = 0
    }
    if (!first) used += between.copy(piece, used)
    first = false
    spool.readInto(result.segment, result.spool, piece, used)
    used += result.segment.length
  }
  if (piece && used > 0) yield piece.subarray(0, used)
}

/**
 * The files' check diagnostics in file order. An expired waiver is reported once per run, at
 * its first finding: each thread reports it at its own first, so a report from another
 * thread than the first one's is dropped (the same waiver: the same code, message and place).
 */
function checkDiagnostics(results: readonly KeptResult[]): Diagnostic[] {
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
