import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ToolError, type Diagnostic } from '../core/index.js'
import type { ConfigResolver, PalisadeConfig } from '../config/index.js'
import {
  findTools,
  holdsChartsOrOverlays,
  lineSpan,
  scanGitOps,
  type GitOpsScan,
  type ReadFile,
  type RenderLimits,
} from '../gitops/index.js'
import type { CheckedOutTree } from '../git/index.js'
import type { AppIo } from './io.js'
import { removeOnInterrupt } from './interrupt-cleanup.js'

/** Flags of `palisade scan` that steer rendering. */
export interface RenderFlags {
  helm?: string
  kubectl?: string
  kustomize?: string
  repoUrl?: string[]
  env?: string
}

/**
 * Render the GitOps applications, charts and overlays under the scanned folders, each
 * with its environment (`--env`, then palisade.yaml paths, clusters and namespaces, then
 * the repository layout). Failed renders become RENDER_FAILED diagnostics; the scan goes on.
 */
export async function renderGitOps(
  paths: readonly string[],
  flags: RenderFlags,
  config: PalisadeConfig,
  resolver: ConfigResolver,
  io: AppIo,
  tree?: CheckedOutTree,
  /** How YAML files are read (a FileReads shares them with the manifest reader). */
  reads?: { read: ReadFile },
  onRender?: (done: number, total: number) => void,
): Promise<GitOpsScan> {
  // In a checked-out tree (the --baseline ref), paths map into it and back for display.
  const into = (abs: string): string => (tree ? path.join(tree.dir, path.relative(tree.repoRoot, abs)) : abs)
  const outOf = (abs: string): string => {
    if (!tree) return abs
    const rel = path.relative(tree.dir, abs)
    return rel.startsWith('..') || path.isAbsolute(rel) ? abs : path.join(tree.repoRoot, rel)
  }
  const roots = await rootsOf(paths, io, into)
  const display = displayIn(io, outOf)
  const tools = await findTools({
    ...(flags.helm === undefined ? {} : { helm: path.resolve(io.cwd, flags.helm) }),
    ...(flags.kubectl === undefined ? {} : { kubectl: path.resolve(io.cwd, flags.kubectl) }),
    ...(flags.kustomize === undefined ? {} : { kustomize: path.resolve(io.cwd, flags.kustomize) }),
    ...(io.env.PATH === undefined ? {} : { pathEnv: io.env.PATH }),
  })
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'palisade-render-'))
  const forget = removeOnInterrupt(scratch) // Ctrl-C while charts render leaves no scratch folder
  try {
    const configRoot = into(path.resolve(io.cwd, config.root))
    const scan = await scanGitOps({
      roots,
      tools,
      display,
      absolute: (displayed) => into(path.resolve(io.cwd, displayed)),
      scratch,
      concurrency: os.availableParallelism(),
      now: () => performance.now(),
      repoUrls: [...config.render.repoURLs, ...(flags.repoUrl ?? [])],
      environments: config.environments.map((e) => e.name),
      environmentFor: ({ files, cluster, namespace }) => {
        for (const f of files) {
          const env = resolver.environmentForFile(f)
          if (env !== undefined) return { environment: env, reason: 'palisade.yaml paths' }
        }
        const byCluster = cluster === undefined ? undefined : resolver.environmentForCluster(cluster)
        if (byCluster !== undefined) return { environment: byCluster, reason: `palisade.yaml clusters (${cluster})` }
        const byNamespace = namespace === undefined ? undefined : resolver.environmentForNamespace(namespace)
        return byNamespace === undefined
          ? undefined
          : { environment: byNamespace, reason: `palisade.yaml namespaces (${namespace})` }
      },
      ...(flags.env === undefined ? {} : { forceEnvironment: flags.env }),
      kustomizeEnableHelm: config.render.kustomizeEnableHelm,
      ...(config.render.limits ? { limits: renderLimits(config.render.limits) } : {}),
      charts: config.render.charts.map((c) => {
        const chartDir = path.resolve(configRoot, c.path)
        return {
          chartDir,
          valuesFiles: c.valuesFiles.map((v) => path.resolve(chartDir, v)),
          ...(c.environment ? { environment: c.environment } : {}),
          ...(c.releaseName ? { releaseName: c.releaseName } : {}),
          ...(c.namespace ? { namespace: c.namespace } : {}),
        }
      }),
      chartMirrors: config.render.chartMirrors.map((m) => ({
        repository: m.repository,
        ...(m.chart ? { chart: m.chart } : {}),
        dir: path.resolve(configRoot, m.path),
      })),
      ...(config.file ? { configFile: config.file } : {}),
      ...(reads ? { readFile: (abs: string) => reads.read(abs) } : {}),
      ...(onRender ? { onRender } : {}),
    })
    // A refusal the renderer already reported at its exact field (a kustomization entry, a
    // Chart.yaml dependency) is not repeated at the line of the file that declares the source.
    const reported = new Set(
      scan.diagnostics.filter((d) => d.severity === 'error' && d.span !== undefined).map((d) => d.message),
    )
    for (const s of scan.sources) {
      if (s.status !== 'failed') continue
      if (s.reason !== undefined && reported.has(s.reason)) continue
      const file = s.file ?? s.path
      const span =
        s.line === undefined
          ? { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }
          : s.line > 1 && scan.texts.get(file) === undefined
            ? { file, start: { line: s.line, column: 1, offset: 0 }, end: { line: s.line, column: 1, offset: 0 } }
            : lineSpan(file, scan.texts.get(file), s.line)
      const diagnostic: Diagnostic = {
        code: 'RENDER_FAILED',
        severity: 'error',
        message: `${s.name}: ${s.reason ?? 'render failed'}`,
        span,
      }
      scan.diagnostics.push(diagnostic)
    }
    return scan
  } finally {
    await rm(scratch, { recursive: true, force: true })
    forget()
  }
}

/**
 * Whether a Helm chart or a Kustomize overlay is under the scanned folders (a walk that
 * reads no YAML file): a streaming scan without one can look for Argo CD and Flux objects
 * after its first pass, over the bytes that pass read (stream-gitops.ts).
 */
export async function holdsRenderLayout(paths: readonly string[], io: AppIo): Promise<boolean> {
  const display = displayIn(io, (abs) => abs)
  for (const root of await rootsOf(paths, io, (abs) => abs)) if (await holdsChartsOrOverlays(root, display)) return true
  return false
}

/** The scanned folders (absolute, mapped by `into`): a missing path is reported by the plain-file scan; only folders can hold charts and overlays. */
async function rootsOf(paths: readonly string[], io: AppIo, into: (abs: string) => string): Promise<string[]> {
  const roots: string[] = []
  for (const p of paths) {
    if (p === '-') continue
    const abs = into(path.resolve(io.cwd, p))
    const info = await stat(abs).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new ToolError('FILE_UNREADABLE', `cannot read ${p}`, { cause: error })
    })
    if (info?.isDirectory()) roots.push(abs)
  }
  return roots
}

/** A path as reports show it: relative to the working folder when inside it. */
function displayIn(io: AppIo, outOf: (abs: string) => string): (inside: string) => string {
  return (inside) => {
    const abs = outOf(inside)
    const rel = path.relative(io.cwd, abs)
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel
  }
}

/** `render.limits` of palisade.yaml as the renderer takes them. */
function renderLimits(l: {
  timeoutSeconds?: number
  maxOutputMiB?: number
  maxMemoryMiB?: number
}): Partial<RenderLimits> {
  const MiB = 1024 * 1024
  return {
    ...(l.timeoutSeconds === undefined ? {} : { timeoutMs: l.timeoutSeconds * 1000 }),
    ...(l.maxOutputMiB === undefined ? {} : { maxOutputBytes: l.maxOutputMiB * MiB }),
    ...(l.maxMemoryMiB === undefined ? {} : { maxMemoryBytes: l.maxMemoryMiB * MiB }),
  }
}
