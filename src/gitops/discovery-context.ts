import path from 'node:path'
import type { Inventory } from './inventory.js'
import type { RenderSpec, SourceReport, Target } from './types.js'

/** What Argo CD and Flux discovery needs to know about the scanned repository. */
export interface DiscoveryContext {
  inventory: Inventory
  display(abs: string): string
  /** True when a Git URL names the scanned repository. */
  isThisRepo(url: string): boolean
  /** A local copy of a chart from a Helm or OCI repository (configuration `render.chartMirrors`), if one is configured. */
  chartMirror(repository: string, chart: string | undefined): string | undefined
  /** Folders of configured chart mirrors (charts outside the inventory). */
  mirrors?: ReadonlySet<string>
}

/** Targets found, and what could not be scanned. */
export interface Discovered {
  targets: Target[]
  unscanned: SourceReport[]
}

/** How a folder renders when nothing says otherwise (Argo CD's tool detection). */
export function detectTool(
  dir: string,
  ctx: DiscoveryContext,
): 'helm' | 'kustomize' | 'jsonnet' | 'directory' | 'missing' {
  const inv = ctx.inventory
  if (inv.charts.includes(dir) || ctx.mirrors?.has(dir)) return 'helm'
  if (inv.kustomizations.some((k) => k.dir === dir)) return 'kustomize'
  if (!inv.dirs.has(dir)) return 'missing'
  if (inv.jsonnetDirs.has(dir)) return 'jsonnet'
  return 'directory'
}

/** Resolve a path inside the repository; undefined when it escapes it. */
export function inRepo(ctx: DiscoveryContext, ...parts: string[]): string | undefined {
  const abs = path.resolve(ctx.inventory.root, ...parts.map((p) => p.replace(/^\/+/, '')))
  const rel = path.relative(ctx.inventory.root, abs)
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : abs
}

/** The default render of a folder by its detected tool (Flux and Argo CD without explicit options). */
export function defaultRender(
  dir: string,
  tool: 'helm' | 'kustomize' | 'directory',
  name: string,
  namespace: string | undefined,
): RenderSpec {
  const ns = namespace === undefined ? {} : { namespace }
  if (tool === 'helm') return { tool, chartDir: dir, releaseName: name, valuesFiles: [], ...ns }
  if (tool === 'kustomize') return { tool, dir, enableHelm: false, ...ns }
  return { tool, dir, recurse: false, ...ns }
}

/** Normalise a Git URL for comparison: scheme, credentials, `.git` and trailing slashes dropped, scp-style made a path. */
export function normaliseGitUrl(url: string): string {
  let u = url.trim().toLowerCase()
  u = u.replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]+@/, '')
  u = u.replace(/^([^/:]+):(?!\d)/, '$1/')
  return u.replace(/\.git$/, '').replace(/\/+$/, '')
}

/** Short text for messages: repository-relative path of an absolute path. */
export function relPath(ctx: DiscoveryContext, abs: string): string {
  return path.relative(ctx.inventory.root, abs).split(path.sep).join('/') || '.'
}
