import { lstat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isRecord, type Diagnostic } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import { checkHelmCharts, dropDeprecatedHelmCharts, type HelmChartsContext } from './kustomize-helm-charts.js'
import type { RenderEnv } from './render-env.js'
import type { FileCheck, OverlayCheck } from './types.js'
import { isInside, type RepoView } from './repo-view.js'

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
/** Lists whose entries kustomize loads as files, folders or remote targets. */
const ENTRY_LISTS = ['resources', 'components', 'bases', 'transformers', 'generators', 'validators']

/** An entry kustomize would fetch: a URL, an scp-style Git address, a `?ref=`, or a host-like path. */
export function isRemoteEntry(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^[^/\s]+@[^/\s]+:/.test(entry) ||
    entry.includes('?ref=') ||
    entry.includes('?version=') ||
    /^(github\.com|gitlab\.com|bitbucket\.org|[a-z0-9-]+(\.[a-z0-9-]+)+)\//i.test(entry)
  )
}

/**
 * Walk an overlay and every kustomization it includes (in the repository copy) before
 * kustomize runs, so kustomize never reaches the network or a file outside the repository
 * on the repository's say-so: a remote entry (resources, components, bases, generators,
 * transformers, validators; a helmCharts chart that kustomize would pull, see
 * kustomize-helm-charts.ts), or a local one that does not exist (kustomize would try it as
 * a remote), is removed from the copy and reported as not fetched; an entry or Helm values
 * file outside the repository refuses the render. Each kustomization file is rewritten at most once per scan (`rewritten`).
 */
export async function checkOverlay(
  dir: string,
  view: RepoView,
  env: RenderEnv,
  enableHelm: boolean,
  rewritten: Map<string, Promise<FileCheck>>,
): Promise<OverlayCheck> {
  const total: OverlayCheck = { diagnostics: [], notFetched: [] }
  const seen = new Set<string>()
  const visit = async (d: string): Promise<void> => {
    if (seen.has(d) || total.refused !== undefined) return
    seen.add(d)
    let file: string | undefined
    for (const name of KUSTOMIZATION_FILES) {
      if (await exists(view.toView(path.join(d, name)))) {
        file = path.join(d, name)
        break
      }
    }
    if (file === undefined) return
    const f = file
    let check = rewritten.get(f)
    if (!check) {
      check = checkFile(f, d, view, env, enableHelm)
      rewritten.set(f, check)
    }
    const result = await check
    // A file shared by several overlays is reported once.
    if (!result.reported) total.diagnostics.push(...result.diagnostics)
    result.reported = true
    total.notFetched.push(...result.notFetched)
    if (result.refused !== undefined) {
      total.refused = result.refused
      return
    }
    for (const sub of result.localDirs) await visit(sub)
  }
  await visit(dir)
  return total
}

async function checkFile(
  file: string,
  dir: string,
  view: RepoView,
  env: RenderEnv,
  enableHelm: boolean,
): Promise<FileCheck> {
  const out: FileCheck = { diagnostics: [], notFetched: [], localDirs: [] }
  const text = await env.readText(file)
  if (text === undefined) return out
  const shown = env.display(file)
  const document = parseManifests(text, shown).documents[0]
  const doc = document?.object
  if (!isRecord(doc) || !document) return out
  const at = (pointer: string, message: string): Diagnostic => ({
    code: 'RENDER_FAILED',
    severity: 'error',
    message,
    span: document.locate(pointer).span,
  })
  const kept: Record<string, unknown> = { ...doc }
  let changed = false
  const outside = (pointer: string, entry: string): void => {
    const message = `${shown}: ${JSON.stringify(entry)} is outside the repository: refused (renderers read only the repository)`
    out.diagnostics.push(at(pointer, message))
    out.refused ??= message
  }
  for (const list of ENTRY_LISTS) {
    const entries = doc[list]
    if (!Array.isArray(entries)) continue
    const keep: unknown[] = []
    for (const [i, entry] of entries.entries()) {
      if (typeof entry !== 'string' || entry.includes('\n')) {
        keep.push(entry)
        continue
      }
      const abs = path.resolve(dir, entry)
      const remote = isRemoteEntry(entry)
      if (!remote && (path.isAbsolute(entry) || !isInside(view.root, abs))) {
        outside(`/${list}/${i}`, entry)
        continue
      }
      if (remote || !(await exists(view.toView(abs)))) {
        out.notFetched.push(`${shown}: ${entry}`)
        out.diagnostics.push(
          at(
            `/${list}/${i}`,
            `${shown}: ${list} entry ${JSON.stringify(entry)} is ${remote ? 'remote' : 'not in the repository (kustomize would try to fetch it)'}: not fetched, the overlay is rendered without it`,
          ),
        )
        changed = true
        continue
      }
      keep.push(entry)
      if ((await lstat(view.toView(abs)).catch(() => undefined))?.isDirectory()) out.localDirs.push(abs)
    }
    kept[list] = keep
  }
  const helm: HelmChartsContext = {
    dir,
    view,
    env,
    enableHelm,
    shown,
    at,
    outside,
    refuse: (pointer, message) => {
      out.diagnostics.push(at(pointer, message))
      out.refused ??= message
    },
    isRemote: isRemoteEntry,
    notFetched: out.notFetched,
    diagnostics: out.diagnostics,
  }
  if (dropDeprecatedHelmCharts(doc, helm)) {
    delete kept.helmChartInflationGenerator
    changed = true
  }
  const charts = await checkHelmCharts(doc, helm)
  if (charts !== undefined && Array.isArray(doc.helmCharts) && charts.length !== doc.helmCharts.length) {
    kept.helmCharts = charts
    changed = true
  }
  if (changed && out.refused === undefined) await writeFile(view.toView(file), JSON.stringify(kept, null, 1))
  return out
}

async function exists(abs: string): Promise<boolean> {
  return (await lstat(abs).catch(() => undefined)) !== undefined
}
