import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import {
  ACTIONS,
  countsOf,
  summarize,
  ToolError,
  type CheckResult,
  type Diagnostic,
  type PolicyMeta,
} from '../core/index.js'
import { defaultConfig, parseConfig, type PalisadeConfig, type ReviewConfig } from '../config/index.js'
import { selectPolicies } from '../engine/index.js'
import {
  checkRevision,
  compareToBaseline,
  openRepository,
  readObjects,
  readTreeSources,
  resolveCommit,
  reviewChanges,
  REVIEW_POLICY_META,
  toTreePath,
  type Repository,
  type ReviewSide,
} from '../git/index.js'
import {
  checkSources,
  resourcesOf,
  type CheckOptions,
  type LocatedResource,
  type SourceText,
} from '../pipeline/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { parseManifests } from '../yaml/index.js'
import type { AppIo } from './io.js'
import { CONFIG_NAMES } from './load-config.js'
import { trustFileTexts } from './trust-file-review.js'
import { chooseBaseline, type BaselineChoice } from './synthetic-merge.js'

/** Options for {@link compareWithBaseline}. */
export interface BaselineOptions {
  ref: string
  paths: readonly string[]
  maxFileBytes: number
  config: PalisadeConfig
  check: CheckOptions
  headSources: readonly SourceText[]
  /** What charts and overlays rendered at REF (when the head renders too), and the plain files they cover. */
  baseRendered?: {
    resources: readonly LocatedResource[]
    covers(file: string): boolean
    texts: ReadonlyMap<string, string>
  }
}

/**
 * `scan --baseline REF`: scan REF's tree from Git objects (never the working tree or the
 * index) with the same policies and configuration as the head, mark each head finding
 * new or existing by fingerprint, list the base findings the head fixed, and add the
 * requires-review findings for security-weakening changes between the two. Returns the
 * head's result with those findings (summary counted from them), the fixed ones and the
 * base's problems as warnings.
 */
export async function compareWithBaseline(
  result: CheckResult,
  options: BaselineOptions,
  io: AppIo,
): Promise<CheckResult> {
  const repo = await repositoryOfPaths(options.paths, io.cwd)
  const commit = await baselineCommit(repo, options.ref)
  const read = await readTreeSources(
    repo,
    { commit },
    {
      paths: options.paths.filter((p) => p !== '-').map((p) => path.resolve(io.cwd, p)),
      maxFileBytes: options.maxFileBytes,
    },
  )
  const base = shownFrom(read, repo.cwd, io.cwd)
  const rendered = options.baseRendered
  const baseSources = rendered ? base.sources.filter((s) => !rendered.covers(s.path)) : base.sources
  const baseResult = checkSources(baseSources, {
    ...options.check,
    collectChecks: false,
    ...(rendered ? { rendered: rendered.resources, renderedTexts: rendered.texts } : {}),
  })
  const compared = compareToBaseline(result.findings, baseResult.findings)

  const selected = (select: string): ReadonlySet<string> =>
    new Set(selectPolicies(BUILTIN_POLICIES, select).selected.map((p) => p.id))
  const headSide: ReviewSide = { resources: located(options.headSources) }
  const baseSide: ReviewSide = { resources: located(base.sources) }
  const configs = await configSides(repo, commit, options.config, options.paths, io)
  const diagnostics = [...result.diagnostics]
  if (configs) {
    headSide.config = configs.head
    baseSide.config = configs.base
    if (configs.invalid) {
      diagnostics.push({
        code: 'CONFIG_INVALID',
        severity: 'warning',
        message: `base ${options.ref}: ${options.config.file} is invalid there; its changes are compared against the defaults`,
        span: configs.head.resource.locate(''),
      })
    }
  }
  // The allowed-signers and OpenPGP key files either side's palisade.yaml names (what verify-commits trusts).
  const trust = configs
    ? await trustFileTexts(repo, commit, [configs.base.config, configs.head.config], io.cwd)
    : { files: [], diagnostics: [] }
  diagnostics.push(...trust.diagnostics)
  // A pull request must not soften the review of its own changes: the stricter action, the base's owners.
  const review = reviewChanges(
    baseSide,
    headSide,
    reviewSettings(configs?.base.config.review, options.config.review),
    options.config.root,
    selected,
    io.now(),
    trust.files,
  )
  const findings = [...compared.findings, ...review]
  diagnostics.push(
    ...base.diagnostics.map((d) => ({
      ...d,
      severity: 'warning' as const,
      message: `base ${options.ref}: ${d.message}`,
    })),
  )
  const policies = new Map<string, PolicyMeta>(result.policies)
  if (review.length > 0) policies.set(REVIEW_POLICY_META.id, REVIEW_POLICY_META)
  return {
    ...result,
    findings,
    diagnostics,
    summary: summarize(countsOf(result.summary), findings, diagnostics),
    policies,
    fixed: compared.fixed,
  }
}

/**
 * The repository that holds the scanned paths (the working folder's for stdin): the baseline
 * is read from there, whatever folder the scan runs from. Paths in different repositories are
 * a usage error.
 */
export async function repositoryOfPaths(paths: readonly string[], cwd: string): Promise<Repository> {
  const given = paths.filter((p) => p !== '-').map((p) => path.resolve(cwd, p))
  const dirs =
    given.length === 0
      ? [cwd]
      : await Promise.all(given.map(async (abs) => ((await stat(abs)).isDirectory() ? abs : path.dirname(abs))))
  const repos = await Promise.all(dirs.map((dir) => openRepository(dir)))
  const first = repos[0] as Repository
  const other = repos.find((r) => r.root !== first.root)
  if (other)
    throw new ToolError(
      'USAGE',
      `--baseline: the scanned paths are in different Git repositories (${first.root} and ${other.root})`,
      { hint: 'scan one repository at a time' },
    )
  return first
}

/**
 * The commit `--baseline REF` compares with in the scanned repository: the merge base of REF
 * and HEAD, or the first parent when HEAD is a synthetic merge onto REF (chooseBaseline).
 * A usage error naming the repository when it has no such revision.
 */
export async function baselineCommit(repo: Repository, ref: string): Promise<string> {
  return (await baselineOf(repo, ref)).commit
}

/** {@link baselineCommit} with what REF resolved to and why that commit was chosen, for the reports. */
export async function baselineOf(repo: Repository, ref: string): Promise<BaselineChoice> {
  checkRevision(ref, '--baseline')
  let refCommit: string
  try {
    refCommit = await resolveCommit(repo, ref)
  } catch (error) {
    if (!(error instanceof ToolError && error.code === 'GIT_FAILED')) throw error
    throw new ToolError(
      'USAGE',
      `--baseline: unknown revision "${ref}" in the repository of the scanned paths (${repo.root})`,
      { cause: error, hint: error.details.hint ?? 'fetch it first' },
    )
  }
  return chooseBaseline(repo, ref, refCommit)
}

/** Tree sources with their paths shown as the head's are: relative to the working folder when inside it, else absolute. */
function shownFrom<T extends { sources: SourceText[]; diagnostics: Diagnostic[] }>(
  read: T,
  from: string,
  cwd: string,
): T {
  if (path.resolve(from) === path.resolve(cwd)) return read
  const shown = (p: string): string => {
    const abs = path.resolve(from, p)
    const rel = path.relative(cwd, abs)
    return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel
  }
  return {
    ...read,
    sources: read.sources.map((s) => ({ ...s, path: shown(s.path) })),
    diagnostics: read.diagnostics.map((d) => (d.span ? { ...d, span: { ...d.span, file: shown(d.span.file) } } : d)),
  }
}

/** The review of a change: the stricter of the base's and the head's action, the base's owners when it has any. */
function reviewSettings(baseRead: ReviewConfig | undefined, head: ReviewConfig | undefined): ReviewConfig | undefined {
  const base: ReviewConfig = baseRead ?? { action: 'warn', owners: [] }
  const action = ACTIONS.indexOf(head?.action ?? 'warn') > ACTIONS.indexOf(base.action) ? head?.action : base.action
  return { action: action ?? base.action, owners: base.owners.length > 0 ? base.owners : (head?.owners ?? []) }
}

function located(sources: readonly SourceText[]): LocatedResource[] {
  return sources.flatMap((s) => resourcesOf(s).resources)
}

/**
 * palisade.yaml at the head (as loaded) and at the base (same path, read from Git; the
 * defaults when absent). When the head has none, the base's (where discovery would have
 * found it) against the defaults the head now runs with: deleting palisade.yaml is a change
 * like any other (its environments, actions and review settings go).
 */
async function configSides(
  repo: Repository,
  commit: string,
  head: PalisadeConfig,
  paths: readonly string[],
  io: AppIo,
): Promise<
  { head: NonNullable<ReviewSide['config']>; base: NonNullable<ReviewSide['config']>; invalid: boolean } | undefined
> {
  const file = head.file ?? (await deletedConfig(repo, commit, paths, io))
  if (file === undefined) return undefined
  const treePath = toTreePath(repo, path.resolve(io.cwd, file))
  if (treePath === undefined) return undefined
  const [blob] = await readObjects(repo, [`${commit}:${treePath}`])
  const baseText = blob?.data.toString('utf8')
  const root =
    head.file === undefined ? path.relative(io.cwd, path.dirname(path.resolve(io.cwd, file))) || '.' : head.root
  const parsed = baseText === undefined ? undefined : parseConfig(baseText, file, root)
  const headText = head.file === undefined ? '' : await readFile(path.resolve(io.cwd, file), 'utf8')
  return {
    head: { config: head, resource: configResource(file, headText) },
    base: { config: parsed?.config ?? defaultConfig(root), resource: configResource(file, baseText ?? '') },
    invalid: parsed !== undefined && parsed.config === undefined,
  }
}

/** Where the base held the palisade.yaml the head no longer has (discovery's folders and names), shown relative to the working folder. */
async function deletedConfig(
  repo: Repository,
  commit: string,
  paths: readonly string[],
  io: AppIo,
): Promise<string | undefined> {
  const first = paths.find((p) => p !== '-')
  const dirs = [io.cwd]
  if (first !== undefined) {
    const abs = path.resolve(io.cwd, first)
    const info = await stat(abs).catch(() => undefined)
    if (info?.isDirectory()) dirs.unshift(abs)
  }
  const candidates = dirs.flatMap((dir) => CONFIG_NAMES.map((name) => path.join(dir, name)))
  const specs = candidates.map((abs) => toTreePath(repo, abs))
  const blobs = await readObjects(
    repo,
    specs.flatMap((p) => (p === undefined ? [] : [`${commit}:${p}`])),
  )
  const found = blobs.findIndex((b) => b?.type === 'blob')
  const inTree = candidates.filter((_c, i) => specs[i] !== undefined)
  return found < 0 ? undefined : path.relative(io.cwd, inTree[found] as string) || (inTree[found] as string)
}

/** palisade.yaml as a resource of its own, so review findings point at its lines. */
function configResource(file: string, text: string): LocatedResource {
  const document = parseManifests(text, file).documents.find((d) => d.object !== null)
  const top = { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }
  return {
    object: { apiVersion: 'palisade.dev/v1alpha1', kind: 'Config', metadata: { name: path.basename(file) } },
    file,
    document: 0,
    prefix: '',
    locate: (pointer) => (document ? document.locate(pointer).span : top),
  }
}
