import path from 'node:path'
import { getAtPointer, isRecord, type KubeObject, type SourceSpan } from '../core/index.js'
import { detectTool, inRepo, relPath, type Discovered, type DiscoveryContext } from './discovery-context.js'
import { kustomizeOverrides } from './argocd-kustomize.js'
import { helmSpecProblem } from './render-args.js'
import { isInside } from './repo-view.js'
import { pathGlob } from './path-glob.js'
import type { RenderSpec, SourceReport, Target, TargetOrigin } from './types.js'

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {})

/**
 * Targets of an Argo CD Application: each source in this repository rendered as Argo CD
 * would (Helm with releaseName, valueFiles, values, valuesObject and parameters; Kustomize;
 * a plain or recursive directory), for its destination. Sources in other repositories,
 * Helm repository charts, plugins and Jsonnet are reported as unscanned.
 */
export function applicationTargets(
  app: KubeObject,
  file: string | undefined,
  ctx: DiscoveryContext,
  kind: TargetOrigin['kind'] = 'argocd-application',
  locate?: (pointer: string) => SourceSpan,
): Discovered {
  const meta = rec(app.metadata)
  const spec = rec(app.spec)
  const name = str(meta.name) ?? '(unnamed)'
  const origin: TargetOrigin = { kind, name, ...(file === undefined ? {} : { file }) }
  const destination = rec(spec.destination)
  const namespace = str(destination.namespace)
  const cluster = str(destination.name) ?? str(destination.server)
  const out: Discovered = { targets: [], unscanned: [] }
  const sources = Array.isArray(spec.sources) ? spec.sources.map(rec) : isRecord(spec.source) ? [spec.source] : []
  const unscanned = (pathText: string, reason: string): void => {
    out.unscanned.push(report(origin, pathText, 'unscanned', reason, cluster, namespace))
  }
  if (sources.length === 0) unscanned('', 'the Application has no source')
  // `ref` sources only provide values files to the others ($ref/path).
  const refs = new Map<string, string | undefined>()
  for (const s of sources) {
    const ref = str(s.ref)
    if (ref !== undefined)
      refs.set(
        ref,
        str(s.repoURL) !== undefined && ctx.isThisRepo(str(s.repoURL) as string) ? ctx.inventory.root : undefined,
      )
  }
  for (const [index, source] of sources.entries()) {
    const repoURL = str(source.repoURL) ?? ''
    if (str(source.ref) !== undefined && str(source.path) === undefined && str(source.chart) === undefined) continue
    const mirror = str(source.chart) === undefined ? undefined : ctx.chartMirror(repoURL, str(source.chart))
    if (str(source.chart) !== undefined && mirror === undefined) {
      unscanned(
        `${repoURL} chart ${String(source.chart)}`,
        'Helm chart from a chart repository or OCI registry: not vendored in this repository, cannot be fetched offline (configure render.chartMirrors for a local copy)',
      )
      continue
    }
    if (mirror === undefined && !ctx.isThisRepo(repoURL)) {
      unscanned(`${repoURL}${str(source.path) ? `//${String(source.path)}` : ''}`, 'source in another repository')
      continue
    }
    const dir = mirror ?? inRepo(ctx, str(source.path) ?? '.')
    if (dir === undefined) {
      unscanned(String(source.path), 'path leaves the repository')
      continue
    }
    const at = Array.isArray(spec.sources) ? `/spec/sources/${index}` : '/spec/source'
    const result = renderFor(source, dir, name, namespace, ctx, refs)
    if ('reason' in result) {
      if (result.pointer === undefined) unscanned(relPath(ctx, dir), result.reason)
      else
        out.unscanned.push({
          ...report(origin, relPath(ctx, dir), 'failed', result.reason, cluster, namespace),
          ...lineOf(locate, `${at}${result.pointer}`),
        })
      continue
    }
    const rendered = result.render
    const invalid = rendered.tool === 'helm' ? helmSpecProblem(rendered) : undefined
    if (invalid) {
      const pointer =
        invalid.field === 'releaseName'
          ? str(rec(source.helm).releaseName) === undefined
            ? '/metadata/name'
            : `${at}/helm/releaseName`
          : invalid.field === 'namespace'
            ? str(rec(source.helm).namespace) === undefined
              ? '/spec/destination/namespace'
              : `${at}/helm/namespace`
            : `${at}/helm/${invalid.field}/${invalid.index ?? 0}`
      out.unscanned.push({
        ...report(origin, relPath(ctx, dir), 'failed', invalid.problem, cluster, namespace),
        ...lineOf(locate, pointer),
      })
      continue
    }
    const valuesObject = rec(source.helm).valuesObject
    const inlineValues =
      locate && isRecord(valuesObject)
        ? (vp: string) =>
            getAtPointer(valuesObject, vp) === undefined ? undefined : locate(`${at}/helm/valuesObject${vp}`)
        : undefined
    out.targets.push({
      origin,
      render: rendered,
      path: relPath(ctx, dir),
      ...(cluster === undefined ? {} : { cluster }),
      ...(namespace === undefined ? {} : { defaultNamespace: namespace }),
      ...(inlineValues ? { inlineValues } : {}),
      ...(result.notes ? { notes: result.notes } : {}),
    })
  }
  return out
}

/** The line of a field, when the object's fields can be located. */
function lineOf(locate: ((pointer: string) => SourceSpan) | undefined, pointer: string): { line?: number } {
  return locate ? { line: locate(pointer).start.line } : {}
}

/** A render spec, or why there is none: with `pointer` (below the source) when a field is refused, a render error at that field. */
function renderFor(
  source: Record<string, unknown>,
  dir: string,
  appName: string,
  namespace: string | undefined,
  ctx: DiscoveryContext,
  refs: Map<string, string | undefined>,
): { render: RenderSpec; notes?: string[] } | { reason: string; pointer?: string } {
  if (isRecord(source.plugin))
    return {
      reason: `config management plugin${str(source.plugin.name) ? ` "${String(source.plugin.name)}"` : ''}: plugins run only inside Argo CD`,
    }
  const directory = isRecord(source.directory) ? source.directory : undefined
  if (directory && isRecord(directory.jsonnet) && Object.keys(directory.jsonnet).length > 0)
    return { reason: 'Jsonnet directory: Palisade does not evaluate Jsonnet' }
  const detected = detectTool(dir, ctx)
  if (detected === 'missing') return { reason: 'path does not exist in this repository' }
  const tool = isRecord(source.helm)
    ? 'helm'
    : isRecord(source.kustomize)
      ? 'kustomize'
      : directory
        ? 'directory'
        : detected
  if (tool === 'jsonnet') return { reason: 'Jsonnet directory: Palisade does not evaluate Jsonnet' }
  if (tool === 'helm') {
    if (detected !== 'helm') return { reason: 'helm options given, but the path holds no Chart.yaml' }
    const helm = rec(source.helm)
    const valuesFiles: string[] = []
    for (const [i, v] of (Array.isArray(helm.valueFiles) ? helm.valueFiles : []).entries()) {
      if (typeof v !== 'string') continue
      const m = /^\$([^/]+)\/(.*)$/.exec(v)
      let file: string
      if (m) {
        const base = refs.get(m[1] as string)
        if (base === undefined) return { reason: `values file ${v} comes from another repository` }
        file = path.resolve(base, m[2] as string)
      } else file = path.resolve(dir, v)
      if (!isInside(ctx.inventory.root, file) && !(ctx.mirrors?.has(dir) === true && isInside(dir, file)))
        return {
          reason: `values file ${JSON.stringify(v)} is outside the repository: refused (renderers read only the repository)`,
          pointer: `/helm/valueFiles/${i}`,
        }
      valuesFiles.push(file)
    }
    const values = isRecord(helm.valuesObject) ? helm.valuesObject : undefined
    // Argo CD passes valuesObject when it is set and the `values` string only when it is not.
    const inline = values === undefined && typeof helm.values === 'string' ? helm.values : undefined
    const parameters = (Array.isArray(helm.parameters) ? helm.parameters : [])
      .filter(isRecord)
      .flatMap((p) =>
        typeof p.name === 'string' && p.value !== undefined
          ? [{ name: p.name, value: String(p.value), ...(p.forceString === true ? { forceString: true } : {}) }]
          : [],
      )
    const fileParameters: { name: string; file: string }[] = []
    for (const [i, p] of (Array.isArray(helm.fileParameters) ? helm.fileParameters : []).entries()) {
      if (!isRecord(p) || typeof p.name !== 'string' || typeof p.path !== 'string') continue
      // Argo CD reads the file from the repository (a URL it would fetch is not fetched here).
      const file = /^[a-z][a-z0-9+.-]*:/i.test(p.path) ? undefined : path.resolve(dir, p.path)
      if (
        file === undefined ||
        !(isInside(ctx.inventory.root, file) || (ctx.mirrors?.has(dir) === true && isInside(dir, file)))
      )
        return {
          reason: `file parameter ${JSON.stringify(p.path)} is outside the repository: refused (renderers read only the repository)`,
          pointer: `/helm/fileParameters/${i}`,
        }
      fileParameters.push({ name: p.name, file })
    }
    const spec: Extract<RenderSpec, { tool: 'helm' }> = {
      tool: 'helm',
      chartDir: dir,
      releaseName: str(helm.releaseName) ?? appName,
      valuesFiles,
      ...(namespace === undefined ? {} : { namespace: str(helm.namespace) ?? namespace }),
      ...(values ? { values } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(fileParameters.length > 0 ? { fileParameters } : {}),
    }
    return { render: inline === undefined ? spec : { ...spec, valuesYaml: inline } }
  }
  if (tool === 'kustomize') {
    if (detected !== 'kustomize') return { reason: 'kustomize options given, but the path holds no kustomization file' }
    const file = ctx.inventory.kustomizations.find((k) => k.dir === dir)?.file ?? dir
    const overrides = kustomizeOverrides(rec(source.kustomize), file)
    if ('reason' in overrides) return overrides
    const ns = str(rec(source.kustomize).namespace)
    return {
      render: {
        tool: 'kustomize',
        dir,
        enableHelm: false,
        ...(ns === undefined ? {} : { namespace: ns }),
        ...(overrides.images.length > 0 ? { images: overrides.images } : {}),
      },
      ...(overrides.notes.length > 0 ? { notes: overrides.notes } : {}),
    }
  }
  const d = directory ?? {}
  return {
    render: {
      tool: 'directory',
      dir,
      recurse: d.recurse === true,
      ...(str(d.include) ? { include: String(d.include) } : {}),
      ...(str(d.exclude) ? { exclude: String(d.exclude) } : {}),
    },
  }
}

/**
 * Targets of an ApplicationSet with list or git-directory generators (this repository
 * only): each generated Application is discovered as Argo CD would generate it. Other
 * generators (clusters, matrix, SCM, pull requests, plugins) are reported as unscanned.
 */
export function applicationSetTargets(appSet: KubeObject, file: string | undefined, ctx: DiscoveryContext): Discovered {
  const spec = rec(appSet.spec)
  const name = str(rec(appSet.metadata).name) ?? '(unnamed)'
  const origin: TargetOrigin = { kind: 'argocd-applicationset', name, ...(file === undefined ? {} : { file }) }
  const goTemplate = spec.goTemplate === true
  const out: Discovered = { targets: [], unscanned: [] }
  for (const generator of Array.isArray(spec.generators) ? spec.generators.map(rec) : []) {
    const kind = Object.keys(generator)[0] ?? '(empty)'
    let params: Record<string, unknown>[] = []
    if (isRecord(generator.list)) {
      params = (Array.isArray(generator.list.elements) ? generator.list.elements : []).filter(isRecord)
    } else if (isRecord(generator.git) && Array.isArray(generator.git.directories)) {
      const repoURL = str(generator.git.repoURL) ?? ''
      if (!ctx.isThisRepo(repoURL)) {
        out.unscanned.push(report(origin, repoURL, 'unscanned', 'git generator reads another repository'))
        continue
      }
      try {
        params = gitDirectories(generator.git.directories.filter(isRecord), ctx).map((dir) =>
          directoryParams(dir, goTemplate),
        )
      } catch (error) {
        // A glob Palisade cannot match safely (see path-glob.ts): this generator is not scanned, and says why.
        out.unscanned.push(report(origin, repoURL, 'failed', error instanceof Error ? error.message : String(error)))
        continue
      }
    } else {
      out.unscanned.push(
        report(origin, '', 'unscanned', `${kind} generator: needs a live Argo CD or cluster, not evaluated offline`),
      )
      continue
    }
    for (const p of params) {
      const app = substitute(spec.template, p, goTemplate)
      if (!isRecord(app)) continue
      const found = applicationTargets(
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app },
        file,
        ctx,
        'argocd-applicationset',
      )
      out.targets.push(...found.targets)
      out.unscanned.push(...found.unscanned)
    }
  }
  return out
}

function gitDirectories(rules: Record<string, unknown>[], ctx: DiscoveryContext): string[] {
  const dirs = [...ctx.inventory.dirs]
    .map((d) => relPath(ctx, d))
    .filter((d) => d !== '.')
    .sort()
  const compiled = new Map<string, (dir: string) => boolean>()
  const matches = (glob: string, dir: string): boolean => {
    let m = compiled.get(glob)
    if (m === undefined) compiled.set(glob, (m = pathGlob(glob)))
    return m(dir)
  }
  const included = dirs.filter((d) =>
    rules.some((r) => r.exclude !== true && typeof r.path === 'string' && matches(r.path, d)),
  )
  return included.filter(
    (d) => !rules.some((r) => r.exclude === true && typeof r.path === 'string' && matches(r.path, d)),
  )
}

function directoryParams(dir: string, goTemplate: boolean): Record<string, unknown> {
  const segments = dir.split('/')
  const basename = segments[segments.length - 1] as string
  const normalized = basename.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase()
  if (goTemplate) return { path: { path: dir, basename, basenameNormalized: normalized, segments } }
  const params: Record<string, unknown> = {
    path: dir,
    'path.basename': basename,
    'path.basenameNormalized': normalized,
  }
  segments.forEach((s, i) => (params[`path[${i}]`] = s))
  return params
}

/** Replace `{{name}}` (fasttemplate) or `{{ .a.b }}` (goTemplate, field access only) in every string. */
function substitute(value: unknown, params: Record<string, unknown>, goTemplate: boolean): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, expr: string) => {
      const key = expr.trim()
      const found = goTemplate ? lookup(params, key.replace(/^\./, '').split('.')) : params[key]
      return found === undefined || isRecord(found) ? whole : String(found)
    })
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, params, goTemplate))
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params, goTemplate)]))
  return value
}

function lookup(params: Record<string, unknown>, keys: string[]): unknown {
  let node: unknown = params
  for (const k of keys) {
    const index = /^(\w+)\[(\d+)\]$/.exec(k)
    node = index ? (rec(node)[index[1] as string] as unknown[] | undefined)?.[Number(index[2])] : rec(node)[k]
  }
  return node
}

/** A report entry for a target that was not (or could not be) scanned. */
export function report(
  origin: TargetOrigin,
  pathText: string,
  status: SourceReport['status'],
  reason: string,
  cluster?: string,
  namespace?: string,
): SourceReport {
  return {
    kind: origin.kind,
    name: origin.name,
    ...(origin.file === undefined ? {} : { file: origin.file }),
    path: pathText,
    status,
    reason,
    resources: 0,
    ...(cluster === undefined ? {} : { cluster }),
    ...(namespace === undefined ? {} : { namespace }),
  }
}

/** The Target list as reported (helper for callers that only want reports). */
export type { Target }
