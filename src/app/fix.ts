import path from 'node:path'
import { noCounts, summarize, ToolError, type BlockingRule, type CheckResult } from '../core/index.js'
import type { FixOutcome } from '../fix/index.js'
import { checkResources, type CheckOptions } from '../pipeline/index.js'
import { collectInputs, requireExistingPaths, type InputOptions, type Inputs } from './collect-inputs.js'
import { proveFixes, targetsOf } from './fix-proof.js'
import { proveRendered, type Rescan } from './fix-rendered.js'
import { stagedFixPaths } from './fix-staged.js'
import { writeProvenFiles } from './fix-write.js'
import type { AppIo, ProgressSink } from './io.js'
import { loadPolicySet, type PolicyOptions } from './policy-set.js'

/** Everything `fix` is asked: the scan's options, and whether unsafe fixes go too, and whether files are written. */
export interface FixOptions extends PolicyOptions, InputOptions {
  paths: readonly string[]
  env?: string
  /** Apply unsafe fixes too (`--unsafe`). */
  unsafe?: boolean
  /** Change nothing (`--dry-run`): rendered edits are proven on disk and then put back. */
  dryRun?: boolean
  /** Fix the staged files (plain files only) instead of `paths`, and stage the fixed ones again. */
  staged?: boolean
  onProgress?: ProgressSink
  onProgressDone?: () => void
}

/** What a fix run did, the scan before it, the scan of what remains, and the rule the exit code follows. */
export interface FixRun {
  outcome: FixOutcome
  before: CheckResult
  /** The proven state (with --dry-run: the scan before). */
  after: CheckResult
  rule: BlockingRule
}

/**
 * `palisade fix`: scan, plan the fixes (src/fix), prove them, write them. Plain files are
 * proven in memory (they feed no render); values files, kustomize bases and patches are
 * proven by rendering and scanning again on disk, file by file rolled back when not proven.
 */
export async function runFix(given: FixOptions, io: AppIo): Promise<FixRun> {
  const staged = given.staged ? await stagedFixPaths(io) : undefined
  // Staged: the plain files of the commit only (a render would take in files that are not staged).
  const options = staged ? { ...given, paths: staged.paths, render: false } : given
  const { paths } = options
  if (staged && paths.length === 0) return nothingStaged(staged.skipped)
  if (paths.includes('-'))
    throw new ToolError('USAGE', 'fix edits files: it cannot read stdin', { hint: 'give the files or folders to fix' })
  await requireExistingPaths(paths, io.cwd)
  const set = await loadPolicySet({ ...options, scanPaths: paths }, io)
  const resolver = set.resolverAt(io.now())
  const input = await collectInputs(paths, options, set.config, resolver, io, options.onProgress)
  options.onProgressDone?.()
  const checkFor = (inputs: Inputs): CheckOptions => ({
    policies: set.policies,
    resolver,
    unreadFiles: inputs.unreadable.length,
    ...(options.env === undefined ? {} : { environment: options.env }),
    ...(inputs.gitops ? { renderedTexts: inputs.gitops.texts } : {}),
  })
  const diagnostics = [...set.diagnostics, ...input.diagnostics]
  const check = checkFor(input)
  const before = checkResources(input.resources, input.sources, [...diagnostics], check)
  const renders = scannedRenders(input)
  const unsafe = options.unsafe === true
  const proven = proveFixes(
    { sources: input.sources, resources: input.resources, diagnostics, renders },
    before,
    check,
    unsafe,
  )
  const outcome: FixOutcome = { ...proven.outcome, dryRun: options.dryRun === true }
  let after = proven.after
  const rescan = async (): Promise<Rescan> => {
    const again = await collectInputs(paths, options, set.config, resolver, io)
    const result = checkResources(
      again.resources,
      again.sources,
      [...set.diagnostics, ...again.diagnostics],
      checkFor(again),
    )
    return {
      result,
      renders: scannedRenders(again),
      rendered: targetsOf(again, result.findings).rendered,
      texts: again.gitops?.texts ?? new Map(),
    }
  }
  const roots = paths.map((p) => path.resolve(io.cwd, p))
  const rendered =
    proven.rendered.length === 0
      ? undefined
      : await proveRendered(proven.rendered, input.gitops?.texts ?? new Map(), {
          cwd: io.cwd,
          roots,
          before,
          renders,
          plain: outcome.files,
          unsafe,
          rescan,
        })
  if (rendered) {
    if (outcome.dryRun) await rendered.restore()
    outcome.files = [...outcome.files, ...rendered.files]
    outcome.left.push(...rendered.left)
    outcome.rolledBack.push(...rendered.rolledBack)
    if (rendered.after) after = rendered.after
  }
  // Rendered proofs wrote the files already; otherwise the plain edits are written here.
  if (!outcome.dryRun && !rendered?.after) await writeProvenFiles(outcome, io.cwd, roots)
  if (staged && !outcome.dryRun) await staged.stage(outcome.files.map((f) => f.file))
  for (const file of staged?.skipped ?? [])
    outcome.rolledBack.push({
      file,
      reasons: ['it has unstaged changes: not fixed, so the commit gets only what was staged'],
    })
  const rule: BlockingRule = {
    ...(set.config.failOn ? { failOn: set.config.failOn } : {}),
    ...(set.config.errors ? { errors: set.config.errors } : {}),
  }
  return { outcome, before, after: outcome.dryRun ? before : after, rule }
}

/** Nothing to fix among the staged files (none, or all with unstaged changes). */
function nothingStaged(skipped: readonly string[]): FixRun {
  const empty: CheckResult = {
    findings: [],
    diagnostics: [],
    summary: summarize(noCounts(), [], []),
    policies: new Map(),
    sources: new Map(),
  }
  const outcome: FixOutcome = {
    files: [],
    left: [],
    findings: 0,
    dryRun: false,
    rolledBack: skipped.map((file) => ({
      file,
      reasons: ['it has unstaged changes: not fixed, so the commit gets only what was staged'],
    })),
  }
  return { outcome, before: empty, after: empty, rule: {} }
}

function scannedRenders(input: Pick<Inputs, 'gitops'>): number {
  return (input.gitops?.sources ?? []).filter((s) => s.status === 'scanned').length
}
