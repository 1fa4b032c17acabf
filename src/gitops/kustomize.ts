import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isRecord, type KubeObject } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import { runConfined } from './exec.js'
import { helmCommandFor } from './kustomize-helm-adapter.js'
import { checkOverlay } from './kustomize-refuse.js'
import { kustomizeLocator, type OriginInfo } from './kustomize-locate.js'
import type { RenderEnv, RenderOutput } from './render-env.js'
import type { RepoView } from './repo-view.js'
import type { RenderSpec } from './types.js'

type KustomizeSpec = Extract<RenderSpec, { tool: 'kustomize' }>

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin'
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations'

/**
 * Render an overlay with kustomize through a wrapper kustomization in a scratch folder,
 * so the repository is never written: the wrapper names the overlay as its one resource,
 * turns on `buildMetadata: [originAnnotations, transformerAnnotations]`, and adds the
 * namespace, patches and image overrides a Flux Kustomization or Argo CD Application asks for. Each
 * object is attributed to the file its origin annotation names; the annotations are
 * removed before policies see the object.
 */
export async function renderKustomize(spec: KustomizeSpec, env: RenderEnv, key: string): Promise<RenderOutput> {
  const tool = env.tools.kustomize
  const overlay = env.display(spec.dir)
  if (!tool)
    return {
      resources: [],
      diagnostics: [],
      failure: `kubectl (or kustomize) not found: cannot render overlay ${overlay} (pass --kubectl PATH or --kustomize PATH, or put kubectl on PATH)`,
    }
  const view = await env.viewOf(spec.dir)
  const removed = env.removedBelow(view, spec.dir)
  const check = await checkOverlay(spec.dir, view, env, spec.enableHelm, env.overlayChecks)
  const diagnostics = [...removed, ...check.diagnostics]
  if (check.refused !== undefined) return { resources: [], diagnostics, failure: check.refused }
  const wrapper = path.join(env.scratch, key)
  await mkdir(wrapper, { recursive: true })
  const relative = path.relative(wrapper, view.toView(spec.dir)).split(path.sep).join('/')
  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative],
    buildMetadata: ['originAnnotations', 'transformerAnnotations'],
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
    ...(spec.patches ? { patches: spec.patches } : {}),
    ...(spec.images && spec.images.length > 0 ? { images: spec.images } : {}),
  }
  await writeFile(path.join(wrapper, 'kustomization.yaml'), JSON.stringify(kustomization, null, 1))
  const helm = spec.enableHelm
    ? ['--enable-helm', ...(env.tools.helm ? [`--helm-command=${await helmCommandFor(env, env.tools.helm.path)}`] : [])]
    : []
  const args = [...tool.args, ...helm, '--', wrapper]
  const run = await runConfined(tool.path, args, { cwd: view.toView(spec.dir), confinement: env.confinement })
  const name = `${path.basename(tool.path)} ${tool.args.join(' ')} ${overlay}`
  if (run.limit !== undefined) return { resources: [], diagnostics, failure: `${name} ${run.limit}: killed` }
  if (run.code !== 0)
    return {
      resources: [],
      diagnostics,
      failure: `${name} failed: ${run.stderr.trim().split('\n').slice(0, 3).join(' ').replaceAll(wrapper, '<wrapper>').replaceAll(view.dir, env.display(view.root)).replaceAll(path.relative(wrapper, view.dir), env.display(view.root)).slice(0, 400)}`,
    }

  const parsed = parseManifests(run.stdout, `${overlay} (rendered)`)
  const out: RenderOutput = {
    resources: [],
    diagnostics,
    ...(check.notFetched.length > 0 ? { notes: [`not fetched: ${check.notFetched.join(', ')}`] } : {}),
  }
  for (const document of parsed.documents) {
    if (!isRecord(document.object) || typeof document.object.kind !== 'string') continue
    const object = document.object as KubeObject
    const info = takeAnnotations(object, wrapper, view)
    const locate = await kustomizeLocator(object, info, spec.dir, env)
    out.resources.push({
      object,
      file: locate.file,
      document: locate.document,
      prefix: '',
      renderedBy: 'kustomize',
      locate: locate.locate,
    })
  }
  return out
}

/** Read and remove the build annotations; paths become absolute. */
function takeAnnotations(object: KubeObject, wrapper: string, view: RepoView): OriginInfo {
  const meta = isRecord(object.metadata) ? object.metadata : undefined
  const annotations = meta && isRecord(meta.annotations) ? meta.annotations : undefined
  const info: OriginInfo = { transformations: [] }
  if (!annotations || !meta) return info
  const origin = annotations[ORIGIN_ANNOTATION]
  const transformations = annotations[TRANSFORMATIONS_ANNOTATION]
  delete annotations[ORIGIN_ANNOTATION]
  delete annotations[TRANSFORMATIONS_ANNOTATION]
  if (Object.keys(annotations).length === 0) delete meta.annotations
  const parse = (text: unknown): unknown =>
    typeof text === 'string' ? parseManifests(text, 'annotation').documents[0]?.object : undefined
  const o = parse(origin)
  if (isRecord(o)) {
    if (typeof o.path === 'string' && typeof o.repo !== 'string')
      info.path = view.fromView(path.resolve(wrapper, o.path))
    if (typeof o.repo === 'string') info.remote = `${o.repo}${typeof o.path === 'string' ? `//${o.path}` : ''}`
    if (typeof o.configuredIn === 'string') info.configuredIn = view.fromView(path.resolve(wrapper, o.configuredIn))
    if (isRecord(o.configuredBy) && typeof o.configuredBy.kind === 'string') info.configuredBy = o.configuredBy.kind
  }
  const t = parse(transformations)
  if (Array.isArray(t)) {
    for (const entry of t) {
      if (
        isRecord(entry) &&
        typeof entry.configuredIn === 'string' &&
        isRecord(entry.configuredBy) &&
        typeof entry.configuredBy.kind === 'string'
      ) {
        const file = path.resolve(wrapper, entry.configuredIn)
        if (path.dirname(file) !== wrapper)
          info.transformations.push({ file: view.fromView(file), kind: entry.configuredBy.kind })
      }
    }
  }
  return info
}
