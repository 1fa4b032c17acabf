import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isRecord, type Diagnostic, type KubeObject, type SourceSpan } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import { applicationSetTargets, applicationTargets } from './argocd.js'
import { normaliseGitUrl, relPath, type Discovered, type DiscoveryContext } from './discovery-context.js'
import { environmentFromLayout } from './environments.js'
import { fluxTargets, indexFluxSources, type FoundObject } from './flux.js'
import { takeInventory, type Inventory, type ReadFile } from './inventory.js'
import { kustomizationRefs } from './kustomization-refs.js'
import { isNamespaced, settleUnknownNamespace, UNKNOWN_NAMESPACE, withNamespace } from './namespaces.js'
import { substituteVariables } from './substitute.js'
import { createConfinement } from './confine.js'
import { DEFAULT_LIMITS, type RenderLimits } from './exec.js'
import { createRenderEnv } from './render-env.js'
import { createRenderQueue } from './render-queue.js'
import { standaloneTargets } from './standalone.js'
import type { RenderTools } from './tools.js'
import type { LocatedResource } from '../core/index.js'
import type { SourceReport, Target } from './types.js'

/** Options of {@link scanGitOps}. */
export interface GitOpsScanOptions {
  /** Folders to scan (absolute). Each is taken as a repository root. */
  roots: readonly string[]
  tools: RenderTools
  display(abs: string): string
  /** The inverse of `display`: the absolute path of a displayed one. */
  absolute(displayed: string): string
  /** Scratch folder (created and removed by the caller). */
  scratch: string
  /** Renders at once; os.availableParallelism() in the CLI. */
  concurrency: number
  now(): number
  /** Git URLs that name the scanned repository (configuration, flags). */
  repoUrls?: readonly string[]
  /** Environment names defined in configuration, so layout names map onto them. */
  environments?: readonly string[]
  /** Environment from configuration for a target: path globs, clusters, namespaces. */
  environmentFor?(hints: {
    files: readonly string[]
    cluster?: string
    namespace?: string
  }): { environment: string; reason: string } | undefined
  /** `--env`: every target is in this environment. */
  forceEnvironment?: string
  /** Pass --enable-helm to kustomize (configuration `render.kustomize.enableHelm`). */
  kustomizeEnableHelm?: boolean
  /** Charts to render with given values files (configuration `render.charts`), absolute paths. */
  charts?: readonly ConfiguredChart[]
  /** Local copies of charts from Helm/OCI repositories (configuration `render.chartMirrors`), absolute dirs. */
  chartMirrors?: readonly { repository: string; chart?: string; dir: string }[]
  /** Display path of the configuration file, for reports of configured charts. */
  configFile?: string
  /** Time limit of one renderer run (also `limits.timeoutMs`). */
  timeoutMs?: number
  /** Time, output and memory limits of one renderer run; defaults {@link DEFAULT_LIMITS}. */
  limits?: Partial<RenderLimits>
  /** `isolate` (default): renderers run in a fresh network namespace where the platform allows; `none`: not attempted. */
  network?: 'isolate' | 'none'
  /** How YAML files are read while looking for Argo CD and Flux objects (the CLI shares its reads with the manifest reader). */
  readFile?: ReadFile
  /** Renders finished and asked for so far (progress display); the last total is `stats.renders`. */
  onRender?: (done: number, total: number) => void
}

/** A chart the configuration asks to render with given values files. */
export interface ConfiguredChart {
  chartDir: string
  valuesFiles: readonly string[]
  environment?: string
  releaseName?: string
  namespace?: string
}

/** What a GitOps scan produced. */
export interface GitOpsScan {
  resources: LocatedResource[]
  /** Absolute paths of files that rendered targets cover: a plain-file scan must skip them. */
  consumedFiles: Set<string>
  sources: SourceReport[]
  diagnostics: Diagnostic[]
  /** Display path → text of every repository file a resource points into (code frames). */
  texts: Map<string, string>
  stats: { renders: number; wallMs: number }
}

const MAX_ROUNDS = 4

/**
 * Scan repositories as GitOps deploys them: find Argo CD Applications and ApplicationSets,
 * Flux Kustomizations and HelmReleases (also those that charts and overlays render, for
 * app-of-apps), charts and overlays no application covers, and render each once, in
 * parallel, with its environment.
 */
export async function scanGitOps(options: GitOpsScanOptions): Promise<GitOpsScan> {
  const start = options.now()
  const limits: RenderLimits = {
    ...DEFAULT_LIMITS,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...options.limits,
  }
  const { confinement, isolated } = await createConfinement(options.scratch, limits, options.network ?? 'isolate')
  const readable = [...options.roots, ...(options.chartMirrors ?? []).map((m) => m.dir)]
  const env = createRenderEnv(options.tools, options.scratch, options.display, confinement, readable)
  const queue = createRenderQueue(env, options.concurrency, options.now, options.onRender)
  const scan: GitOpsScan = {
    resources: [],
    consumedFiles: new Set(),
    sources: [],
    diagnostics: [],
    texts: env.texts,
    stats: { renders: 0, wallMs: 0 },
  }
  for (const root of options.roots) await scanRoot(root, options, env, queue, scan)
  if (
    !isolated &&
    options.network !== 'none' &&
    scan.sources.some((s) => s.renderer === 'helm' || s.renderer === 'kustomize')
  ) {
    scan.diagnostics.push({
      code: 'RENDER_FAILED',
      severity: 'warning',
      message:
        'renderers ran without network isolation (no network namespace on this platform: unshare -n is not permitted); remote entries were still refused before rendering, and renderers got no proxy or credentials',
    })
  }
  scan.stats = { renders: queue.renders, wallMs: options.now() - start }
  return scan
}

async function scanRoot(
  root: string,
  options: GitOpsScanOptions,
  env: ReturnType<typeof createRenderEnv>,
  queue: ReturnType<typeof createRenderQueue>,
  scan: GitOpsScan,
): Promise<void> {
  const inventory = await takeInventory(root, options.display, options.readFile)
  scan.diagnostics.push(...inventory.diagnostics)
  // A chart configured under this root renders even where the walk does not go (a folder
  // .palisadeignore excludes, so the chart is not also rendered alone) or finds no Chart.yaml.
  const configuredHere = (options.charts ?? []).filter((c) => isWithin(root, c.chartDir))
  if (
    inventory.charts.length === 0 &&
    inventory.kustomizations.length === 0 &&
    inventory.gitopsFiles.length === 0 &&
    configuredHere.length === 0
  )
    return
  const mirrors = options.chartMirrors ?? []
  const ctx: DiscoveryContext = {
    inventory,
    display: options.display,
    isThisRepo: await repoMatcher(root, options.repoUrls ?? []),
    chartMirror: (repository, chart) =>
      mirrors.find(
        (m) =>
          normaliseGitUrl(m.repository) === normaliseGitUrl(repository) &&
          (m.chart === undefined || chart === undefined || m.chart === chart),
      )?.dir,
    mirrors: new Set(mirrors.map((m) => m.dir)),
  }
  const texts = new Map<string, string>()
  for (const k of inventory.kustomizations) {
    const text = await env.readText(k.file)
    if (text !== undefined) texts.set(k.file, text)
  }
  const refs = kustomizationRefs(inventory, texts)
  for (const f of refs.consumedFiles) scan.consumedFiles.add(f)

  // Objects in files no kustomization consumes; the rest are found in what overlays render.
  const found: FoundObject[] = []
  for (const { file, text } of inventory.gitopsFiles) {
    if (refs.consumedFiles.has(file)) continue
    const parsed = parseManifests(text, options.display(file))
    for (const d of parsed.documents) {
      if (isRecord(d.object))
        found.push({
          object: d.object as KubeObject,
          file: options.display(file),
          locate: (p) => d.locate(p).span,
          ...clusterOf(relPath(ctx, file)),
        })
    }
  }
  const targets: Target[] = []
  const unscanned: SourceReport[] = []
  for (const dir of refs.components) {
    if (refs.referencedDirs.has(dir)) continue
    const file = inventory.kustomizations.find((k) => k.dir === dir)?.file
    unscanned.push({
      kind: 'kustomization',
      name: relPath(ctx, dir),
      ...(file ? { file: options.display(file) } : {}),
      path: relPath(ctx, dir),
      renderer: 'kustomize',
      status: 'unscanned',
      reason:
        'Kustomize Component that no kustomization in the repository lists under components: a Component is rendered only through the kustomizations that use it',
      resources: 0,
    })
  }
  const seen = new Set<string>()
  const withOptions = (t: Target): Target => {
    if (t.render.tool === 'kustomize' && options.kustomizeEnableHelm)
      return { ...t, render: { ...t.render, enableHelm: true } }
    // A chart with no namespace from its application renders with a marker, not helm's `default`.
    if (t.render.tool === 'helm' && !t.render.namespace && t.defaultNamespace === undefined)
      return { ...t, render: { ...t.render, namespace: UNKNOWN_NAMESPACE } }
    return t
  }
  const addDiscovered = (d: Discovered): Target[] => {
    unscanned.push(...d.unscanned.filter((u) => !seen.has(JSON.stringify(u)) && seen.add(JSON.stringify(u))))
    const fresh = d.targets.map(withOptions).filter((t) => {
      // The same application found twice (in its file and in what its parent rendered) is one target.
      assignEnvironment(t, options, ctx)
      const id = JSON.stringify([t.origin, t.render, t.environment])
      return !seen.has(id) && Boolean(seen.add(id))
    })
    targets.push(...fresh)
    return fresh
  }
  const allObjects: FoundObject[] = [...found]
  const standalone = standaloneTargets(inventory, refs, options.environments ?? [], ctx).map(withOptions)
  const configured: Target[] = configuredHere
    .map((c): Target => ({
      origin: {
        kind: 'helm-chart',
        name: `${path.basename(c.chartDir)} (render.charts)`,
        ...(options.configFile ? { file: options.configFile } : {}),
      },
      render: {
        tool: 'helm',
        chartDir: c.chartDir,
        releaseName: c.releaseName ?? path.basename(c.chartDir),
        valuesFiles: c.valuesFiles,
        ...(c.namespace ? { namespace: c.namespace } : {}),
      },
      path: relPath(ctx, c.chartDir),
      ...(c.environment ? { environment: c.environment, environmentReason: 'palisade.yaml render.charts' } : {}),
      variant: true,
    }))
    .map(withOptions)
  const outputs = new Map<Target, Awaited<ReturnType<typeof queue.render>>>()
  const rounds = async (first: Target[]): Promise<void> => {
    let pending = first
    for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
      for (const t of pending) assignEnvironment(t, options, ctx)
      const rendered = await Promise.all(pending.map(async (t) => [t, await queue.render(t.render)] as const))
      const next = rendered.flatMap(([t, r]) => {
        outputs.set(t, r)
        return gitopsObjectsOf(t, r.output.resources)
      })
      allObjects.push(...next)
      pending = addDiscovered(discover(next, allObjects, ctx))
    }
  }
  await rounds([
    ...addDiscovered({ targets: configured, unscanned: [] }),
    ...addDiscovered(discover(found, allObjects, ctx)),
  ])
  // Charts and overlays no application covers are scanned on their own. Those that may
  // declare applications (app of apps: templates or files naming Argo CD or Flux kinds)
  // render first, so that what they declare is known before the rest is judged covered.
  const uncovered = (): Target[] => {
    const covered = new Set(targets.map((t) => renderedDir(t)))
    return standalone.filter((t) => t.variant === true || !covered.has(renderedDir(t)))
  }
  const producers = uncovered().filter((t) => inventory.declaresApps.has(renderedDir(t)))
  const renderStandalone = async (batch: readonly Target[]): Promise<void> => {
    const nested: FoundObject[] = []
    for (const [t, r] of await Promise.all(batch.map(async (t) => [t, await queue.render(t.render)] as const))) {
      outputs.set(t, r)
      nested.push(...gitopsObjectsOf(t, r.output.resources))
    }
    allObjects.push(...nested)
    await rounds(addDiscovered(discover(nested, allObjects, ctx)))
  }
  await renderStandalone(producers)
  const rest = uncovered().filter((t) => !producers.includes(t))
  await renderStandalone(rest)

  // A chart or overlay that an application renders is scanned as the application, not alone.
  const standaloneScanned = new Set([...producers, ...rest])
  const scanned = [...targets, ...uncovered().filter((t) => standaloneScanned.has(t))]
  const reported = new Set<string>()
  for (const t of scanned) {
    if (options.forceEnvironment !== undefined || t.environment === undefined) assignEnvironment(t, options, ctx)
    const r = outputs.get(t) ?? (await queue.render(t.render))
    const first = !reported.has(r.key)
    reported.add(r.key)
    scan.diagnostics.push(...(first ? r.output.diagnostics : []))
    const base: SourceReport = {
      kind: t.origin.kind,
      name: t.origin.name,
      ...(t.origin.file ? { file: t.origin.file } : {}),
      path: t.path,
      renderer: t.render.tool,
      ...(t.environment ? { environment: t.environment } : {}),
      ...(t.environmentReason ? { environmentReason: t.environmentReason } : {}),
      ...(t.cluster ? { cluster: t.cluster } : {}),
      ...namespaceField(t),
      status: r.output.failure ? 'failed' : 'scanned',
      resources: r.output.resources.length,
      ...(first ? { renderMs: Math.round(r.ms) } : {}),
    }
    if (r.output.failure) base.reason = r.output.failure
    else if (t.notes?.length || r.output.notes?.length)
      base.reason = [...(t.notes ?? []), ...(r.output.notes ?? [])].join('; ')
    scan.sources.push(base)
    const application = `${t.origin.kind} ${t.origin.name}`
    const ordinals = new Map<string, number>()
    for (const res of r.output.resources) {
      const { locateWithValues, ...rest } = res
      const inline = t.inlineValues
      const locate = inline && locateWithValues ? (pointer: string) => locateWithValues(pointer, inline) : res.locate
      const substituted = t.substitute === undefined ? rest.object : substituteVariables(rest.object, t.substitute)
      // Objects without a namespace go to the destination (Argo CD) or the release namespace (helm).
      const fill = knownNamespace(t)
      const settled =
        t.render.tool === 'helm' && t.render.namespace === UNKNOWN_NAMESPACE
          ? settleUnknownNamespace(substituted)
          : { object: substituted, unknown: false }
      const object = fill === undefined ? settled.object : withNamespace(settled.object, fill, false)
      // Where nothing says the namespace, a namespaced object the chart does not place is in an unknown one too.
      const unknown =
        fill === undefined &&
        t.render.tool === 'helm' &&
        isNamespaced(object) &&
        (settled.unknown || !hasNamespace(object))
      // Identity across revisions: which render, which file, which of that file's objects of this kind (not a name a template may generate).
      const slot = `${res.file}\u0000${String(object.kind)}`
      const ordinal = ordinals.get(slot) ?? 0
      ordinals.set(slot, ordinal + 1)
      const identity = res.renderedBy === undefined ? {} : { identity: `${application}\u0000${slot}#${ordinal}` }
      scan.resources.push({
        ...rest,
        object,
        locate,
        application,
        ...identity,
        ...(t.environment === undefined ? {} : { environment: t.environment }),
        ...(unknown ? { namespaceUnknown: true as const } : {}),
      })
      if (t.render.tool !== 'helm') scan.consumedFiles.add(options.absolute(res.file))
    }
  }
  scan.sources.push(...unscanned)
}

/** Whether a path is the folder or inside it. */
function isWithin(folder: string, abs: string): boolean {
  return !path.relative(folder, abs).split(path.sep).join('/').startsWith('..')
}

/** Argo CD and Flux objects among what a target rendered, inheriting its cluster and environment. */
function gitopsObjectsOf(
  t: Target,
  resources: readonly { object: KubeObject; file: string; locate(pointer: string): SourceSpan }[],
): FoundObject[] {
  const out: FoundObject[] = []
  for (const res of resources) {
    const group = typeof res.object.apiVersion === 'string' ? (res.object.apiVersion.split('/')[0] ?? '') : ''
    if (group !== 'argoproj.io' && !group.endsWith('fluxcd.io')) continue
    out.push({
      object: res.object,
      file: res.file,
      locate: res.locate,
      ...(t.cluster ? { cluster: t.cluster } : {}),
      ...(t.environment
        ? { environment: t.environment, ...(t.environmentReason ? { environmentReason: t.environmentReason } : {}) }
        : {}),
    })
  }
  return out
}

function discover(objects: readonly FoundObject[], all: readonly FoundObject[], ctx: DiscoveryContext): Discovered {
  const out: Discovered = { targets: [], unscanned: [] }
  for (const o of objects) {
    if (
      o.object.apiVersion === undefined ||
      typeof o.object.apiVersion !== 'string' ||
      !o.object.apiVersion.startsWith('argoproj.io/')
    )
      continue
    const d =
      o.object.kind === 'Application'
        ? applicationTargets(o.object, o.file, ctx, 'argocd-application', o.locate)
        : o.object.kind === 'ApplicationSet'
          ? applicationSetTargets(o.object, o.file, ctx)
          : undefined
    if (!d) continue
    for (const t of d.targets) inheritFrom(t, o)
    out.targets.push(...d.targets)
    out.unscanned.push(...d.unscanned)
  }
  const flux = fluxTargets(objects, indexFluxSources(all), ctx)
  out.targets.push(...flux.targets)
  out.unscanned.push(...flux.unscanned)
  return out
}

function inheritFrom(t: Target, o: FoundObject): void {
  if (t.cluster === undefined && o.cluster !== undefined) t.cluster = o.cluster
  if (o.environment !== undefined) {
    t.environment = o.environment
    t.environmentReason = o.environmentReason ?? 'inherited'
  }
}

/** The namespace a target deploys to, when its application or the configuration says it. */
function knownNamespace(t: Target): string | undefined {
  const rendered = 'namespace' in t.render && t.render.namespace !== UNKNOWN_NAMESPACE ? t.render.namespace : undefined
  return t.defaultNamespace ?? (rendered || undefined)
}

function namespaceField(t: Target): { namespace?: string } {
  const namespace = knownNamespace(t)
  return namespace === undefined ? {} : { namespace }
}

function hasNamespace(object: KubeObject): boolean {
  return isRecord(object.metadata) && typeof object.metadata.namespace === 'string' && object.metadata.namespace !== ''
}

function renderedDir(t: Target): string {
  return t.render.tool === 'helm' ? t.render.chartDir : t.render.dir
}

/** `clusters/<name>/...` names the cluster a Flux or Argo CD object is applied to. */
function clusterOf(rel: string): { cluster?: string } {
  const m = /(?:^|\/)clusters\/([^/]+)\//.exec(rel)
  return m ? { cluster: m[1] as string } : {}
}

/** Environment: --env, else inherited, else configuration, else layout of the declaring file, the rendered path, the values files. */
function assignEnvironment(t: Target, options: GitOpsScanOptions, ctx: DiscoveryContext): void {
  if (options.forceEnvironment !== undefined) {
    t.environment = options.forceEnvironment
    t.environmentReason = '--env'
    return
  }
  if (t.environment !== undefined) return
  const files = [
    t.origin.file,
    `${t.path}/`,
    ...(t.render.tool === 'helm' ? t.render.valuesFiles.map((f) => options.display(f)) : []),
  ].filter((f): f is string => f !== undefined)
  const namespace = knownNamespace(t)
  const configured = options.environmentFor?.({
    files: files.map((f) => (f.endsWith('/') ? `${options.display(path.join(ctx.inventory.root, f))}/x` : f)),
    ...(t.cluster ? { cluster: t.cluster } : {}),
    ...(namespace ? { namespace } : {}),
  })
  if (configured) {
    t.environment = configured.environment
    t.environmentReason = configured.reason
    return
  }
  const layoutPaths = [
    t.origin.file ? relPath(ctx, options.absolute(t.origin.file)) : undefined,
    t.path,
    ...(t.render.tool === 'helm' ? t.render.valuesFiles.map((f) => relPath(ctx, f)) : []),
  ]
  for (const p of layoutPaths) {
    if (p === undefined) continue
    const found = environmentFromLayout(p, options.environments ?? [])
    if (found) {
      t.environment = found.environment
      t.environmentReason = found.reason
      return
    }
  }
  if (t.cluster !== undefined) {
    const found = environmentFromLayout(t.cluster, options.environments ?? [])
    if (found) {
      t.environment = found.environment
      t.environmentReason = `cluster ${t.cluster}`
    }
  }
}

/** A predicate for "this URL is the scanned repository": configured URLs, the checkout's git remotes, or a URL whose repository name is the folder's name. */
async function repoMatcher(root: string, configured: readonly string[]): Promise<(url: string) => boolean> {
  const urls = new Set(configured.map(normaliseGitUrl))
  const gitConfig = await readFile(path.join(root, '.git', 'config'), 'utf8').catch((error: unknown) => {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return ''
    throw new Error(`cannot read ${path.join(root, '.git', 'config')}`, { cause: error })
  })
  for (const m of gitConfig.matchAll(/^\s*url\s*=\s*(.+)$/gm)) urls.add(normaliseGitUrl(m[1] as string))
  const folder = path.basename(root).toLowerCase()
  return (url) => {
    const n = normaliseGitUrl(url)
    return urls.has(n) || n.split('/').pop() === folder
  }
}

export type { Inventory }
