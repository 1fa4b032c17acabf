import path from 'node:path'
import { getAtPointer, isRecord, type KubeObject, type SourceSpan } from '../core/index.js'
import { report } from './argocd.js'
import {
  defaultRender,
  detectTool,
  inRepo,
  relPath,
  type Discovered,
  type DiscoveryContext,
} from './discovery-context.js'
import { helmSpecProblem } from './render-args.js'
import type { RenderSpec, Target, TargetOrigin } from './types.js'

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {})

/** A Flux object as found: in a file, or in what a target rendered (whose environment it inherits). */
export interface FoundObject {
  object: KubeObject
  file?: string
  cluster?: string
  environment?: string
  environmentReason?: string
  /** Where the object's fields are written. */
  locate?: (pointer: string) => SourceSpan
}

/**
 * Flux source objects by `Kind/namespace/name`, each with the cluster folder it was found
 * under: every cluster has its own flux-system, so two clusters of one repository may
 * each define a GitRepository or ArtifactGenerator of the same name.
 */
export type FluxSources = Map<string, { object: KubeObject; cluster: string | undefined }[]>

/** The source a Flux object in `cluster` sees under that key: its own cluster's, else one defined outside any cluster folder. */
function sourceFor(sources: FluxSources, k: string, cluster: string | undefined): KubeObject | undefined {
  const found = sources.get(k)
  if (found === undefined) return undefined
  const own = found.find((f) => f.cluster === cluster) ?? found.find((f) => f.cluster === undefined)
  return (own ?? (cluster === undefined ? found[0] : undefined))?.object
}

/** ArtifactGenerators visible from `cluster`, with the same rule as {@link sourceFor}. */
function generatorsFor(sources: FluxSources, cluster: string | undefined): KubeObject[] {
  const out: KubeObject[] = []
  for (const [k] of sources) {
    if (!k.startsWith('ArtifactGenerator/')) continue
    const generator = sourceFor(sources, k, cluster)
    if (generator) out.push(generator)
  }
  return out
}

const key = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind}/${namespace ?? 'flux-system'}/${name}`

/** Index GitRepository, OCIRepository, HelmRepository and ArtifactGenerator objects. */
export function indexFluxSources(objects: readonly FoundObject[]): FluxSources {
  const index: FluxSources = new Map()
  for (const { object, cluster } of objects) {
    const kind = str(object.kind)
    const meta = rec(object.metadata)
    if (
      kind &&
      ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'ArtifactGenerator'].includes(kind) &&
      str(meta.name)
    ) {
      const k = key(kind, str(meta.namespace), String(meta.name))
      const list = index.get(k) ?? []
      // The last definition of a key in one cluster wins, as applying them in order would.
      const same = list.findIndex((f) => f.cluster === cluster)
      if (same >= 0) list.splice(same, 1)
      index.set(k, [...list, { object, cluster }])
    }
  }
  return index
}

/**
 * Where a Flux source reference points in this repository: a GitRepository whose URL is
 * this repository (or the bootstrap `flux-system` one when its definition is not in the
 * repository), or an ExternalArtifact copied from such a repository by an ArtifactGenerator.
 */
function resolveSource(
  ref: Record<string, unknown>,
  ownNamespace: string | undefined,
  pathInSource: string,
  sources: FluxSources,
  ctx: DiscoveryContext,
  cluster: string | undefined,
): { dir: string; note?: string } | { reason: string } {
  const kind = str(ref.kind) ?? 'GitRepository'
  const name = str(ref.name) ?? ''
  const namespace = str(ref.namespace) ?? ownNamespace
  if (kind === 'GitRepository') {
    const repo = sourceFor(sources, key(kind, namespace, name), cluster)
    const url = str(rec(repo?.spec).url)
    if (url !== undefined && !ctx.isThisRepo(url))
      return { reason: `GitRepository ${name} is another repository (${url})` }
    if (repo === undefined && name !== 'flux-system')
      return { reason: `GitRepository ${name} is not defined in this repository` }
    const dir = inRepo(ctx, pathInSource)
    if (dir === undefined) return { reason: `path ${pathInSource} leaves the repository` }
    return repo === undefined
      ? { dir, note: 'GitRepository flux-system taken to be this repository (Flux bootstrap convention)' }
      : { dir }
  }
  if (kind === 'ExternalArtifact') {
    for (const generator of generatorsFor(sources, cluster)) {
      const gspec = rec(generator.spec)
      const artifact = (Array.isArray(gspec.artifacts) ? gspec.artifacts : []).map(rec).find((a) => a.name === name)
      if (!artifact) continue
      const aliases = new Map(
        (Array.isArray(gspec.sources) ? gspec.sources : []).map(rec).map((s) => [str(s.alias) ?? '', s]),
      )
      const wanted = path.posix.normalize(pathInSource.replace(/^\.?\/*/, '')).replace(/^\.$/, '')
      for (const copy of (Array.isArray(artifact.copy) ? artifact.copy : []).map(rec)) {
        const from = /^@([^/]+)\/(.*?)\/?\*\*$/.exec(str(copy.from) ?? '')
        const to = /^@artifact\/?(.*?)\/?$/.exec(str(copy.to) ?? '')
        if (!from || !to) continue
        const toDir = to[1] as string
        if (!(wanted === toDir || wanted.startsWith(`${toDir}/`) || toDir === '')) continue
        const source = aliases.get(from[1] as string)
        if (!source) continue
        const inner = resolveSource(
          source,
          str(rec(generator.metadata).namespace),
          path.posix.join(from[2] as string, wanted.slice(toDir.length)),
          sources,
          ctx,
          cluster,
        )
        if ('reason' in inner) return inner
        return {
          dir: inner.dir,
          note: [
            `ExternalArtifact ${name} mapped through ArtifactGenerator ${String(rec(generator.metadata).name)}`,
            inner.note,
          ]
            .filter(Boolean)
            .join('; '),
        }
      }
      return { reason: `ExternalArtifact ${name}: no copy rule of its ArtifactGenerator covers ${pathInSource}` }
    }
    return { reason: `ExternalArtifact ${name}: no ArtifactGenerator in this repository produces it` }
  }
  return { reason: `${kind} ${name}: source outside this repository, not fetched offline` }
}

/** Targets of Flux Kustomizations and HelmReleases among the objects found. */
export function fluxTargets(objects: readonly FoundObject[], sources: FluxSources, ctx: DiscoveryContext): Discovered {
  const out: Discovered = { targets: [], unscanned: [] }
  for (const found of objects) {
    const { object } = found
    const group = str(object.apiVersion)?.split('/')[0]
    const before = out.unscanned.length
    if (group === 'kustomize.toolkit.fluxcd.io' && object.kind === 'Kustomization')
      kustomization(found, sources, ctx, out)
    else if (group === 'helm.toolkit.fluxcd.io' && object.kind === 'HelmRelease') helmRelease(found, sources, ctx, out)
    for (const u of out.unscanned.slice(before)) {
      if (found.environment !== undefined)
        Object.assign(u, {
          environment: found.environment,
          ...(found.environmentReason ? { environmentReason: found.environmentReason } : {}),
        })
    }
  }
  return out
}

function inherit(found: FoundObject): Partial<Target> {
  return {
    ...(found.cluster === undefined ? {} : { cluster: found.cluster }),
    ...(found.environment === undefined
      ? {}
      : {
          environment: found.environment,
          ...(found.environmentReason ? { environmentReason: found.environmentReason } : {}),
        }),
  }
}

function kustomization(found: FoundObject, sources: FluxSources, ctx: DiscoveryContext, out: Discovered): void {
  const meta = rec(found.object.metadata)
  const spec = rec(found.object.spec)
  const origin: TargetOrigin = {
    kind: 'flux-kustomization',
    name: str(meta.name) ?? '(unnamed)',
    ...(found.file === undefined ? {} : { file: found.file }),
  }
  const resolved = resolveSource(
    rec(spec.sourceRef),
    str(meta.namespace),
    str(spec.path) ?? '.',
    sources,
    ctx,
    found.cluster,
  )
  if ('reason' in resolved) {
    out.unscanned.push(report(origin, str(spec.path) ?? '.', 'unscanned', resolved.reason, found.cluster))
    return
  }
  const tool = detectTool(resolved.dir, ctx)
  if (tool === 'missing') {
    out.unscanned.push(
      report(origin, relPath(ctx, resolved.dir), 'unscanned', 'path does not exist in this repository', found.cluster),
    )
    return
  }
  const targetNamespace = str(spec.targetNamespace)
  const notes = resolved.note ? [resolved.note] : []
  let render: RenderSpec
  if (tool === 'kustomize') {
    render = {
      tool: 'kustomize',
      dir: resolved.dir,
      enableHelm: false,
      ...(targetNamespace ? { namespace: targetNamespace } : {}),
      ...(Array.isArray(spec.patches) && spec.patches.length > 0 ? { patches: spec.patches } : {}),
    }
  } else {
    // Flux generates a kustomization of every manifest below the path.
    render = {
      tool: 'directory',
      dir: resolved.dir,
      recurse: true,
      ...(targetNamespace ? { namespace: targetNamespace } : {}),
    }
    if (Array.isArray(spec.patches) && spec.patches.length > 0)
      notes.push('spec.patches not applied: the path has no kustomization file')
  }
  const postBuild = rec(spec.postBuild)
  const substitute = isRecord(postBuild.substitute)
    ? Object.fromEntries(Object.entries(postBuild.substitute).map(([k, v]) => [k, String(v)]))
    : undefined
  if (Array.isArray(postBuild.substituteFrom) && postBuild.substituteFrom.length > 0)
    notes.push('postBuild.substituteFrom (ConfigMap/Secret variables) not applied')
  out.targets.push({
    origin,
    render,
    path: relPath(ctx, resolved.dir),
    ...inherit(found),
    ...(notes.length ? { notes } : {}),
    ...(substitute ? { substitute } : {}),
  })
}

function helmRelease(found: FoundObject, sources: FluxSources, ctx: DiscoveryContext, out: Discovered): void {
  const meta = rec(found.object.metadata)
  const spec = rec(found.object.spec)
  const name = str(meta.name) ?? '(unnamed)'
  const origin: TargetOrigin = {
    kind: 'flux-helmrelease',
    name,
    ...(found.file === undefined ? {} : { file: found.file }),
  }
  const targetNamespace = str(spec.targetNamespace)
  const namespace = targetNamespace ?? str(meta.namespace)
  const chartSpec = rec(rec(spec.chart).spec)
  const chart = str(chartSpec.chart)
  const sourceRef = rec(chartSpec.sourceRef)
  let resolved: { dir: string; note?: string } | { reason: string }
  if (chart === undefined || (str(sourceRef.kind) !== 'GitRepository' && str(sourceRef.kind) !== 'Bucket')) {
    // A chart from a Helm repository, an OCIRepository (chartRef) or a HelmChart object: only a configured local mirror renders it.
    const ref = chart === undefined ? rec(spec.chartRef) : sourceRef
    const repo = sourceFor(
      sources,
      key(str(ref.kind) ?? 'HelmRepository', str(ref.namespace) ?? str(meta.namespace), str(ref.name) ?? ''),
      found.cluster,
    )
    const url = str(rec(repo?.spec).url)
    const mirror = url === undefined ? undefined : ctx.chartMirror(url, chart)
    if (mirror === undefined) {
      const what =
        chart === undefined
          ? `${url ?? `${str(ref.kind) ?? 'chartRef'} ${str(ref.name) ?? ''}`.trim()}`
          : `${url ?? `${str(ref.kind) ?? 'HelmRepository'} ${str(ref.name) ?? ''}`} chart ${chart}`
      const from = chart === undefined ? 'an OCI repository or HelmChart object' : 'a chart repository'
      out.unscanned.push(
        report(
          origin,
          what,
          'unscanned',
          `Helm chart from ${from}: not vendored in this repository, cannot be fetched offline (configure render.chartMirrors for a local copy)`,
          found.cluster,
          namespace,
        ),
      )
      return
    }
    resolved = {
      dir: mirror,
      note: `chart ${chart ?? ''} from ${url} rendered from the local mirror ${ctx.display(mirror)}`.replace(
        'chart  from',
        'chart from',
      ),
    }
  } else {
    resolved = resolveSource(sourceRef, str(meta.namespace), chart, sources, ctx, found.cluster)
    if ('reason' in resolved) {
      out.unscanned.push(report(origin, chart, 'unscanned', resolved.reason, found.cluster, namespace))
      return
    }
    if (detectTool(resolved.dir, ctx) !== 'helm') {
      out.unscanned.push(
        report(
          origin,
          relPath(ctx, resolved.dir),
          'unscanned',
          'chart path holds no Chart.yaml',
          found.cluster,
          namespace,
        ),
      )
      return
    }
  }
  const base = defaultRender(
    resolved.dir,
    'helm',
    str(spec.releaseName) ?? (targetNamespace ? `${targetNamespace}-${name}` : name),
    namespace,
  ) as Extract<RenderSpec, { tool: 'helm' }>
  const invalid = helmSpecProblem(base)
  if (invalid) {
    const pointer =
      invalid.field === 'releaseName'
        ? str(spec.releaseName) === undefined
          ? '/metadata/name'
          : '/spec/releaseName'
        : targetNamespace === undefined
          ? '/metadata/namespace'
          : '/spec/targetNamespace'
    out.unscanned.push({
      ...report(origin, relPath(ctx, resolved.dir), 'failed', invalid.problem, found.cluster, namespace),
      ...(found.locate ? { line: found.locate(pointer).start.line } : {}),
    })
    return
  }
  const outside = (Array.isArray(chartSpec.valuesFiles) ? chartSpec.valuesFiles : []).findIndex(
    (v) => typeof v === 'string' && inRepo(ctx, v) === undefined,
  )
  if (outside >= 0) {
    out.unscanned.push({
      ...report(
        origin,
        relPath(ctx, resolved.dir),
        'failed',
        `values file ${JSON.stringify((chartSpec.valuesFiles as unknown[])[outside])} is outside the repository: refused (renderers read only the repository)`,
        found.cluster,
        namespace,
      ),
      ...(found.locate ? { line: found.locate(`/spec/chart/spec/valuesFiles/${outside}`).start.line } : {}),
    })
    return
  }
  const valuesFiles = (Array.isArray(chartSpec.valuesFiles) ? chartSpec.valuesFiles : [])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => inRepo(ctx, v))
    .filter((v): v is string => v !== undefined)
  const notes = resolved.note ? [resolved.note] : []
  // Flux merges these before spec.values; Palisade does not read them, so a required one blocks.
  const valuesFrom = Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []
  const required = valuesFrom.findIndex((v) => !isRecord(v) || v.optional !== true)
  if (required >= 0) {
    const v = rec(valuesFrom[required])
    out.unscanned.push({
      ...report(
        origin,
        relPath(ctx, resolved.dir),
        'failed',
        `valuesFrom ${JSON.stringify(`${String(v.kind)}/${String(v.name)}`)}: values from a ConfigMap or Secret are not applied by Palisade: refused (the scanned render would differ from what Flux deploys)`,
        found.cluster,
        namespace,
      ),
      ...(found.locate ? { line: found.locate(`/spec/valuesFrom/${required}`).start.line } : {}),
    })
    return
  }
  if (valuesFrom.length > 0) notes.push('valuesFrom (optional ConfigMap/Secret values) not applied')
  const render: RenderSpec = { ...base, valuesFiles, ...(isRecord(spec.values) ? { values: spec.values } : {}) }
  const locate = found.locate
  const inlineValues =
    locate && isRecord(spec.values)
      ? (vp: string) => (getAtPointer(spec.values, vp) === undefined ? undefined : locate(`/spec/values${vp}`))
      : undefined
  out.targets.push({
    origin,
    render,
    path: relPath(ctx, resolved.dir),
    ...inherit(found),
    ...(notes.length ? { notes } : {}),
    ...(inlineValues ? { inlineValues } : {}),
  })
}
