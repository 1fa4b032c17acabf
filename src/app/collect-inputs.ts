import { lstat } from 'node:fs/promises'
import path from 'node:path'
import { ToolError, type Diagnostic } from '../core/index.js'
import type { ConfigResolver, PalisadeConfig } from '../config/index.js'
import { environmentFromLayout, type GitOpsScan } from '../gitops/index.js'
import { resourcesOf, type LocatedResource, type SourceText } from '../pipeline/index.js'
import { checkOutTree } from '../git/index.js'
import { FileReads } from '../sources/index.js'
import { baselineCommit, repositoryOfPaths } from './baseline.js'
import { removeOnInterrupt } from './interrupt-cleanup.js'
import type { AppIo, ProgressSink } from './io.js'
import { loadSources } from './load-sources.js'
import { renderGitOps, type RenderFlags } from './render-gitops.js'
import { validateSchemas, type SchemaSummary } from './validate-schema.js'

/** What decides what is read, rendered and validated (the flags of `palisade scan`). */
export interface InputOptions extends RenderFlags {
  render: boolean
  maxFileSize: number
  validateSchema?: boolean
  kubernetesVersion: string
  schemaStrict?: boolean
}

/** Everything a scan checks, with where it came from. */
export interface Inputs {
  /** Plain manifest files (those no rendered application covers), each with its environment. */
  sources: SourceText[]
  /** Their objects and the rendered ones. */
  resources: LocatedResource[]
  diagnostics: Diagnostic[]
  /** Diagnostics of files that could not be read (they count as files). */
  unreadable: Diagnostic[]
  gitops?: GitOpsScan
  schema?: SchemaSummary
}

/**
 * Read and render what `palisade scan PATH...` checks: the GitOps applications, charts and
 * overlays (unless --no-render), then every plain manifest file they do not cover, each
 * plain file in its environment (palisade.yaml paths, else the layout), then --validate-schema.
 */
export async function collectInputs(
  paths: readonly string[],
  flags: InputOptions,
  config: PalisadeConfig,
  resolver: ConfigResolver,
  io: AppIo,
  progress: ProgressSink = () => {},
  /** The GitOps applications, charts and overlays, when already rendered (a streaming scan that found some). */
  rendered?: GitOpsScan,
): Promise<Inputs> {
  // The inventory of GitOps files reads every YAML file; the manifest reader takes the same bytes.
  const reads = new FileReads(flags.maxFileSize)
  const gitops =
    rendered ??
    (flags.render
      ? await renderGitOps(paths, flags, config, resolver, io, undefined, reads, (d, t) => progress('Rendering', d, t))
      : undefined)
  const loaded = await loadSources(paths, io, {
    maxFileBytes: flags.maxFileSize,
    reads,
    onProgress: (d, t) => progress('Reading', d, t),
    ...(gitops ? { skip: gitops.consumedFiles } : {}),
  })
  const diagnostics = [...loaded.diagnostics, ...(gitops?.diagnostics ?? [])]
  const names = config.environments.map((e) => e.name)
  const sources = loaded.sources.map((s) =>
    withEnvironment(s, paths, io.cwd, resolver.environmentForFile(s.path), names),
  )
  const resources: LocatedResource[] = []
  sources.forEach((source, i) => {
    const parsed = resourcesOf(source)
    diagnostics.push(...parsed.diagnostics)
    resources.push(...parsed.resources)
    progress('Parsing', i + 1, sources.length)
  })
  resources.push(...(gitops?.resources ?? []))
  const input: Inputs = {
    sources,
    resources,
    diagnostics,
    unreadable: loaded.diagnostics.filter((d) => d.span !== undefined),
    ...(gitops ? { gitops } : {}),
  }
  if (flags.validateSchema) {
    const validated = await validateSchemas(resources, flags.kubernetesVersion, flags.schemaStrict === true)
    diagnostics.push(...validated.diagnostics)
    input.schema = validated.summary
  }
  return input
}

/**
 * A plain file's environment: palisade.yaml paths, else the repository layout below the
 * scanned folder that holds it (clusters/production/..., overlays/staging/...).
 */
export function withEnvironment(
  source: SourceText,
  roots: readonly string[],
  cwd: string,
  configured: string | undefined,
  names: readonly string[],
): SourceText {
  if (configured !== undefined) return { ...source, environment: configured }
  const abs = path.resolve(cwd, source.path)
  for (const root of roots) {
    const rel = path.relative(path.resolve(cwd, root), abs)
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue
    const found = environmentFromLayout(rel.split(path.sep).join('/'), names)
    if (found) return { ...source, environment: found.environment }
  }
  return source
}

/**
 * `--baseline REF` with rendering: render the charts and overlays as they were at REF (its
 * tree checked out into a scratch folder), so rendered findings compare like with like.
 */
export async function renderBase(
  ref: string,
  paths: readonly string[],
  flags: RenderFlags,
  config: PalisadeConfig,
  resolver: ConfigResolver,
  io: AppIo,
  onRender?: (done: number, total: number) => void,
): Promise<{ resources: LocatedResource[]; covers(file: string): boolean; texts: ReadonlyMap<string, string> }> {
  const repo = await repositoryOfPaths(paths, io.cwd)
  const commit = await baselineCommit(repo, ref)
  const { tree, remove } = await checkOutTree(repo.root, commit, io.env)
  const forget = removeOnInterrupt(path.dirname(tree.dir)) // the checkout's scratch folder, on Ctrl-C too
  try {
    const scan = await renderGitOps(paths, flags, config, resolver, io, tree, undefined, onRender)
    const covered = new Set(
      [...scan.consumedFiles].map((abs) => path.join(tree.repoRoot, path.relative(tree.dir, abs))),
    )
    return { resources: scan.resources, covers: (file) => covered.has(path.resolve(io.cwd, file)), texts: scan.texts }
  } finally {
    await remove()
    forget()
  }
}

/** A path that does not exist is a usage error (a typo must not scan nothing and pass). */
export async function requireExistingPaths(paths: readonly string[], cwd: string): Promise<void> {
  for (const p of paths) {
    if (p === '-') continue
    try {
      await lstat(path.resolve(cwd, p))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new ToolError('FILE_UNREADABLE', `cannot read ${p}: ${code ?? 'error'}`, { cause: error })
      throw new ToolError('USAGE', `${p}: no such file or folder`, {
        hint: 'check the path; palisade scan with no path scans the working folder',
      })
    }
  }
}
