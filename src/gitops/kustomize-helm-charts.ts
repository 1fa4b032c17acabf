import { lstat, writeFile } from 'node:fs/promises'
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

const adapters = new WeakMap<RenderEnv, Promise<string>>()

/**
 * The `--helm-command` kustomize is given: a small /bin/sh adapter in the scratch folder
 * that runs the real helm with kustomize's arguments, except for kustomize's version probe.
 * kustomize before 5.8.1 (kubectl 1.35 embeds 5.7.1) asks `helm version -c --short` and
 * accepts major version 3 only; helm 4 removed `-c` (kustomize issue 6013, fixed by pull
 * request 6016 in 5.8.1, which accepts 3 and 4). helm 4 renders the charts kustomize gives
 * it with the same `helm template` arguments, so the adapter answers the probe with
 * `v3.0.0` followed by the real version, and passes every other call through (`exec`: helm
 * stays kustomize's child, within the render limits). Written once per scan.
 */
export function helmCommandFor(env: RenderEnv, helm: string): Promise<string> {
  let adapter = adapters.get(env)
  if (!adapter) {
    const file = path.join(env.scratch, 'helm-for-kustomize.sh')
    const quoted = `'${helm.replaceAll("'", `'\\''`)}'`
    const script = [
      '#!/bin/sh',
      '# Written by Palisade: kustomize < 5.8.1 probes `helm version -c --short` and takes major 3 only.',
      'if [ "$#" -eq 3 ] && [ "$1" = version ] && [ "$2" = -c ] && [ "$3" = --short ]; then',
      `  v=$(${quoted} version --short) || exit $?`,
      '  case "$v" in',
      '    v4.*) printf \'v3.0.0 (helm %s: kustomize before 5.8.1 accepts helm 3 only)\\n\' "$v" ;;',
      '    *) printf \'%s\\n\' "$v" ;;',
      '  esac',
      '  exit 0',
      'fi',
      `exec ${quoted} "$@"`,
      '',
    ].join('\n')
    adapter = writeFile(file, script, { mode: 0o700 }).then(() => file)
    adapters.set(env, adapter)
  }
  return adapter
}
