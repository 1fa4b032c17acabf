import { lstat } from 'node:fs/promises'
import path from 'node:path'
import { isRecord, type Diagnostic } from '../core/index.js'
import type { RenderEnv } from './render-env.js'
import { isInside, type RepoView } from './repo-view.js'

/** What checking one kustomization's Helm fields needs from `checkFile` (kustomize-refuse.ts). */
export interface HelmChartsContext {
  dir: string
  view: RepoView
  env: RenderEnv
  enableHelm: boolean
  /** The kustomization as the user sees it. */
  shown: string
  /** An error at a field of the kustomization. */
  at(pointer: string, message: string): Diagnostic
  /** Refuse the render: a path outside the repository. */
  outside(pointer: string, entry: string): void
  /** Refuse the render for another reason, with the error at the field. */
  refuse(pointer: string, message: string): void
  /** An entry kustomize would fetch (kustomize-refuse.ts `isRemoteEntry`). */
  isRemote(entry: string): boolean
  notFetched: string[]
  diagnostics: Diagnostic[]
}

/**
 * Check a kustomization's `helmGlobals` and `helmCharts` before kustomize runs, and return
 * the charts to keep in the copy (undefined: the field is left as it is). A chart is kept
 * only when kustomize will find it on disk and so never runs `helm pull`: kustomize looks
 * in `<chartHome>/<name>`, but in `<chartHome>/<name>-<version>/<name>` when both `repo` and
 * `version` are set (kustomize's `absChartHome`), so a chart vendored at `charts/<name>`
 * with a `repo` and `version` was pulled from the repository's URL. Other charts, and every
 * chart when Helm support is off, are removed with an error at their entry (the overlay is
 * rendered without them). A release or chart name starting with `-` (helm would read the
 * positional argument as a flag: kustomize before 5.8.1 passes it as it is), values files
 * outside the repository, and `helmGlobals.configHome` (helm's configuration, cache and
 * plugins taken from the repository) refuse the render.
 */
export async function checkHelmCharts(
  doc: Record<string, unknown>,
  c: HelmChartsContext,
): Promise<unknown[] | undefined> {
  const globals = isRecord(doc.helmGlobals) ? doc.helmGlobals : {}
  const chartHome = path.resolve(c.dir, typeof globals.chartHome === 'string' ? globals.chartHome : 'charts')
  if (!isInside(c.view.root, chartHome)) c.outside('/helmGlobals/chartHome', String(globals.chartHome))
  if (globals.configHome !== undefined)
    c.refuse(
      '/helmGlobals/configHome',
      `${c.shown}: helmGlobals.configHome would give helm a configuration, cache and plugins from the repository: refused`,
    )
  if (!Array.isArray(doc.helmCharts)) return undefined
  const keep: unknown[] = []
  for (const [i, chart] of doc.helmCharts.entries()) {
    if (!isRecord(chart)) {
      keep.push(chart) // kustomize reports it
      continue
    }
    for (const field of ['valuesFile', 'additionalValuesFiles'] as const) {
      const files = typeof chart[field] === 'string' ? [chart[field]] : Array.isArray(chart[field]) ? chart[field] : []
      for (const [j, v] of files.entries()) {
        if (
          typeof v === 'string' &&
          (c.isRemote(v) || path.isAbsolute(v) || !isInside(c.view.root, path.resolve(c.dir, v)))
        )
          c.outside(`/helmCharts/${i}/${field}${Array.isArray(chart[field]) ? `/${j}` : ''}`, v)
      }
    }
    const flags = (['name', 'releaseName'] as const).filter((f) => String(chart[f] ?? '').startsWith('-'))
    for (const field of flags)
      c.refuse(
        `/helmCharts/${i}/${field}`,
        `${c.shown}: helmCharts ${field} ${JSON.stringify(chart[field])} starts with "-": helm would read it as a flag: refused`,
      )
    if (flags.length > 0) continue
    const name = typeof chart.name === 'string' ? chart.name : ''
    const from = typeof chart.repo === 'string' && chart.repo !== '' ? ` from ${chart.repo}` : ''
    if (!c.enableHelm) {
      c.notFetched.push(`${c.shown}: helm chart ${name}${from}`)
      c.diagnostics.push(
        c.at(
          `/helmCharts/${i}`,
          `${c.shown}: helmCharts chart ${JSON.stringify(name)} is not rendered: kustomize's Helm support is off (render.kustomize.enableHelm in palisade.yaml); the overlay is rendered without it`,
        ),
      )
      continue
    }
    const home =
      typeof chart.version === 'string' && chart.version !== '' && from !== ''
        ? path.join(chartHome, `${name}-${chart.version}`)
        : chartHome
    const chartDir = path.join(home, name)
    const vendored =
      name !== '' && isInside(chartHome, chartDir) && chartDir !== chartHome && (await isFolder(c.view, chartDir))
    if (!vendored) {
      c.notFetched.push(`${c.shown}: helm chart ${name}${from}`)
      c.diagnostics.push(
        c.at(
          `/helmCharts/${i}`,
          `${c.shown}: helmCharts chart ${JSON.stringify(name)}${from} is not in ${c.env.display(chartDir)} (where kustomize looks for it): not fetched, the overlay is rendered without it`,
        ),
      )
      continue
    }
    keep.push(chart)
  }
  return keep
}

/** Whether the copy holds a folder (not a link) at a repository path. */
async function isFolder(view: RepoView, abs: string): Promise<boolean> {
  return (await lstat(view.toView(abs)).catch(() => undefined))?.isDirectory() === true
}

/**
 * kustomize turns the deprecated `helmChartInflationGenerator` list (chartName, chartRepoUrl,
 * chartVersion, helmHome, ...) into `helmCharts` and `helmGlobals` when it loads the file,
 * past the checks above: it is removed from the copy with an error at its line (the overlay
 * is rendered without it). Returns whether it was there.
 */
export function dropDeprecatedHelmCharts(doc: Record<string, unknown>, c: HelmChartsContext): boolean {
  if (doc.helmChartInflationGenerator === undefined) return false
  c.notFetched.push(`${c.shown}: helmChartInflationGenerator`)
  c.diagnostics.push(
    c.at(
      '/helmChartInflationGenerator',
      `${c.shown}: helmChartInflationGenerator (kustomize's deprecated form of helmCharts) is not rendered: write it as helmCharts; the overlay is rendered without it`,
    ),
  )
  return true
}
