import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { ToolError, type CheckResult, type Diagnostic, type PolicyMeta } from '../core/index.js'
import { defaultConfig, parseConfig, type PalisadeConfig } from '../config/index.js'
import { selectPolicies, type PolicySpec } from '../engine/index.js'
import {
  compareToBaseline,
  openRepository,
  readObjects,
  readTreeSources,
  redactSecretsInFile,
  resolveCommit,
  reviewChanges,
  REVIEW_POLICY_META,
  toTreePath,
  type Repository,
  type ReviewSide,
} from '../git/index.js'
import { checkSources, resourcesOf, tally, type CheckOptions, type LocatedResource, type SourceText } from '../pipeline/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import type { FormatOptions } from '../report/index.js'
import { parseManifests } from '../yaml/index.js'
import type { CliIo } from './io.js'

/** Id of the built-in credential policy, whose parameters palisade.yaml's `secrets:` section sets. */
export const CREDENTIAL_POLICY_ID = 'disallow-hardcoded-credentials'

/**
 * The policies a scan runs: the built-in library, with palisade.yaml's `secrets.allow`
 * fingerprints and `secrets.entropy` thresholds as the defaults of the credential
 * policy's parameters (`policies.params` still overrides them).
 */
export function scanPolicySpecs(config: PalisadeConfig): PolicySpec[] {
  const secrets = config.secrets
  if (!secrets) return [...BUILTIN_POLICIES]
  const defaults: Record<string, unknown> = { allow: secrets.allow.map((a) => a.fingerprint) }
  if (secrets.entropy?.minLength !== undefined) defaults.entropyMinLength = secrets.entropy.minLength
  if (secrets.entropy?.bitsPerChar !== undefined) defaults.entropyBitsPerChar = secrets.entropy.bitsPerChar
  return BUILTIN_POLICIES.map((p) => (p.id === CREDENTIAL_POLICY_ID ? withParamDefaults(p, defaults) : p))
}

function withParamDefaults(spec: PolicySpec, defaults: Readonly<Record<string, unknown>>): PolicySpec {
  const params = Object.fromEntries(Object.entries(spec.params ?? {}).map(([name, p]) => [name, Object.hasOwn(defaults, name) ? { ...p, default: defaults[name] } : p]))
  return { ...spec, params }
}

/**
 * Blank out every secret in the source texts kept for code frames, so no report format
 * can print one: a credential found by the rules, and the values of plaintext Secrets.
 */
export function redactSources(result: CheckResult): void {
  result.sources = new RedactedSources(result.sources)
}

/**
 * The source texts, each redacted the first time a report reads it: a JSON or SARIF report
 * reads none, a text report only the files its code frames show, so a large scan does not
 * pay for scanning every file again.
 */
class RedactedSources implements ReadonlyMap<string, string> {
  readonly #raw: ReadonlyMap<string, string>
  readonly #done = new Map<string, string>()
  constructor(raw: ReadonlyMap<string, string>) {
    this.#raw = raw
  }
  get size(): number {
    return this.#raw.size
  }
  has(file: string): boolean {
    return this.#raw.has(file)
  }
  get(file: string): string | undefined {
    const cached = this.#done.get(file)
    if (cached !== undefined) return cached
    const text = this.#raw.get(file)
    if (text === undefined) return undefined
    const redacted = redactSecretsInFile(file, text)
    this.#done.set(file, redacted)
    return redacted
  }
  *entries(): MapIterator<[string, string]> {
    for (const file of this.#raw.keys()) yield [file, this.get(file) as string]
  }
  keys(): MapIterator<string> {
    return this.#raw.keys()
  }
  *values(): MapIterator<string> {
    for (const [, text] of this.entries()) yield text
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries()
  }
  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [file, text] of this.entries()) callback(text, file, this)
  }
}

/** Options for {@link applyBaseline}. */
export interface BaselineOptions {
  ref: string
  paths: readonly string[]
  maxFileBytes: number
  config: PalisadeConfig
  check: CheckOptions
  headSources: readonly SourceText[]
  /** What charts and overlays rendered at REF (when the head renders too), and the plain files they cover. */
  baseRendered?: { resources: readonly LocatedResource[]; covers(file: string): boolean; texts: ReadonlyMap<string, string> }
}

/**
 * `scan --baseline REF`: scan REF's tree from Git objects (never the working tree or the
 * index) with the same policies and configuration as the head, mark each head finding
 * new or existing by fingerprint, list the base findings the head fixed, and add the
 * requires-review findings for security-weakening changes between the two.
 */
export async function applyBaseline(result: CheckResult, options: BaselineOptions, io: CliIo): Promise<void> {
  const repo = await repositoryOfPaths(options.paths, io.cwd)
  const commit = await baselineCommit(repo, options.ref)
  const read = await readTreeSources(repo, { commit }, { paths: options.paths.filter((p) => p !== '-').map((p) => path.resolve(io.cwd, p)), maxFileBytes: options.maxFileBytes })
  const base = shownFrom(read, repo.cwd, io.cwd)
  const rendered = options.baseRendered
  const baseSources = rendered ? base.sources.filter((s) => !rendered.covers(s.path)) : base.sources
  const baseResult = checkSources(baseSources, { ...options.check, collectChecks: false, ...(rendered ? { rendered: rendered.resources, renderedTexts: rendered.texts } : {}) })
  const compared = compareToBaseline(result.findings, baseResult.findings)

  const selected = (select: string): ReadonlySet<string> => new Set(selectPolicies(BUILTIN_POLICIES, select).selected.map((p) => p.id))
  const headSide: ReviewSide = { resources: located(options.headSources) }
  const baseSide: ReviewSide = { resources: located(base.sources) }
  const configs = await configSides(repo, commit, options.config, io)
  if (configs) {
    headSide.config = configs.head
    baseSide.config = configs.base
    if (configs.invalid) {
      result.diagnostics.push({ code: 'CONFIG_INVALID', severity: 'warning', message: `base ${options.ref}: ${options.config.file} is invalid there; its changes are compared against the defaults`, span: configs.head.resource.locate('') })
    }
  }
  const review = reviewChanges(baseSide, headSide, options.config.review, options.config.root, selected)
  result.findings = [...compared.findings, ...review]
  result.fixed = compared.fixed
  result.diagnostics.push(...base.diagnostics.map((d) => ({ ...d, severity: 'warning' as const, message: `base ${options.ref}: ${d.message}` })))
  tally(result.summary, result.findings, result.diagnostics)
  const policies = new Map<string, PolicyMeta>(result.policies)
  if (review.length > 0) policies.set(REVIEW_POLICY_META.id, REVIEW_POLICY_META)
  result.policies = policies
}

/**
 * The repository that holds the scanned paths (the working folder's for stdin): the baseline
 * is read from there, whatever folder the scan runs from. Paths in different repositories are
 * a usage error.
 */
export async function repositoryOfPaths(paths: readonly string[], cwd: string): Promise<Repository> {
  const given = paths.filter((p) => p !== '-').map((p) => path.resolve(cwd, p))
  const dirs = given.length === 0 ? [cwd] : await Promise.all(given.map(async (abs) => ((await stat(abs)).isDirectory() ? abs : path.dirname(abs))))
  const repos = await Promise.all(dirs.map((dir) => openRepository(dir)))
  const first = repos[0] as Repository
  const other = repos.find((r) => r.root !== first.root)
  if (other) throw new ToolError('USAGE', `--baseline: the scanned paths are in different Git repositories (${first.root} and ${other.root})`, { hint: 'scan one repository at a time' })
  return first
}

/** The commit of the baseline REF in the scanned repository; a usage error naming the repository when it has no such revision. */
export async function baselineCommit(repo: Repository, ref: string): Promise<string> {
  try {
    return await resolveCommit(repo, ref)
  } catch (error) {
    if (!(error instanceof ToolError && error.code === 'GIT_FAILED')) throw error
    throw new ToolError('USAGE', `--baseline: unknown revision "${ref}" in the repository of the scanned paths (${repo.root})`, { cause: error, hint: error.details.hint ?? 'fetch it first' })
  }
}

/** Tree sources with their paths shown as the head's are: relative to the working folder when inside it, else absolute. */
function shownFrom<T extends { sources: SourceText[]; diagnostics: Diagnostic[] }>(read: T, from: string, cwd: string): T {
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

function located(sources: readonly SourceText[]): LocatedResource[] {
  return sources.flatMap((s) => resourcesOf(s).resources)
}

/** palisade.yaml at the head (as loaded) and at the base (same path, read from Git; the defaults when absent). */
async function configSides(
  repo: Repository,
  commit: string,
  head: PalisadeConfig,
  io: CliIo,
): Promise<{ head: NonNullable<ReviewSide['config']>; base: NonNullable<ReviewSide['config']>; invalid: boolean } | undefined> {
  if (head.file === undefined) return undefined
  const treePath = toTreePath(repo, path.resolve(io.cwd, head.file))
  if (treePath === undefined) return undefined
  const [blob] = await readObjects(repo, [`${commit}:${treePath}`])
  const baseText = blob?.data.toString('utf8')
  const parsed = baseText === undefined ? undefined : parseConfig(baseText, head.file, head.root)
  const headText = await readFile(path.resolve(io.cwd, head.file), 'utf8')
  return {
    head: { config: head, resource: configResource(head.file, headText) },
    base: { config: parsed?.config ?? defaultConfig(head.root), resource: configResource(head.file, baseText ?? '') },
    invalid: parsed !== undefined && parsed.config === undefined,
  }
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

/**
 * Where Markdown links point: GitHub blob URLs at the scanned commit when the CI
 * environment says so (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA), else relative.
 */
export async function markdownLinks(io: CliIo): Promise<FormatOptions['links'] | undefined> {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = io.env
  if (!server || !repository || !sha) return undefined
  let prefix = ''
  try {
    const repo = await openRepository(io.cwd)
    prefix = toTreePath(repo, '.') ?? ''
  } catch (error) {
    if (!(error instanceof ToolError && error.code === 'GIT_FAILED')) throw error
    // Not a clone (a scan of an exported folder): links are relative to the repository root.
  }
  return { blobBase: `${server.replace(/\/+$/, '')}/${repository}/blob/${sha}/`, pathPrefix: prefix === '' ? '' : `${prefix}/` }
}
