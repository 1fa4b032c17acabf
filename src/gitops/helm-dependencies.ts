import { cp, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isRecord, type Diagnostic } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import { runConfined } from './exec.js'
import type { RenderEnv } from './render-env.js'
import { isInside, type RepoView } from './repo-view.js'

/** The folder to template (in the repository's copy), and the repository folder of each dependency built from a `file://` path. */
export interface PreparedChart {
  dir: string
  localDependencies: Map<string, string>
}

/**
 * Make a chart's dependencies available as Argo CD does before rendering: dependencies
 * vendored in charts/ are used as they are; `file://` dependencies that are not are built
 * (`helm dependency update --skip-refresh`, offline, confined) into a scratch copy of the
 * chart; dependencies from chart repositories that are not vendored are never fetched and
 * fail the render with their names; a `file://` dependency outside the repository is
 * refused at its line of Chart.yaml.
 */
export async function prepareChart(
  chartDir: string,
  env: RenderEnv,
  view: RepoView,
  key: string,
): Promise<PreparedChart | { failure: string; diagnostics: Diagnostic[] }> {
  const chartFile = path.join(chartDir, 'Chart.yaml')
  const text = await env.readText(chartFile)
  const document = text === undefined ? undefined : parseManifests(text, env.display(chartFile)).documents[0]
  const chart = document?.object
  const deps = isRecord(chart) && Array.isArray(chart.dependencies) ? chart.dependencies.filter(isRecord) : []
  const prepared: PreparedChart = { dir: view.toView(chartDir), localDependencies: new Map() }
  if (deps.length === 0 || !isRecord(chart)) return prepared
  const refuse = (index: number, message: string): { failure: string; diagnostics: Diagnostic[] } => ({
    failure: message,
    diagnostics: [
      {
        code: 'RENDER_FAILED',
        severity: 'error',
        message,
        ...(document ? { span: document.locate(`/dependencies/${index}/repository`).span } : {}),
      },
    ],
  })
  // Local paths are checked whether vendored or not: Chart.lock and helm may follow them.
  for (const [i, d] of (chart.dependencies as unknown[]).entries()) {
    if (!isRecord(d) || typeof d.repository !== 'string' || !d.repository.startsWith('file://')) continue
    const abs = path.resolve(chartDir, d.repository.slice('file://'.length))
    if (!isInside(view.root, abs))
      return refuse(
        i,
        `chart dependency ${String(d.name)} (${d.repository}) of ${env.display(chartDir)} is outside the repository: refused (renderers read only the repository)`,
      )
  }
  const vendored = await readdir(path.join(view.toView(chartDir), 'charts')).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[]
    throw new Error(`cannot read ${env.display(path.join(chartDir, 'charts'))}`, { cause: error })
  })
  const isVendored = (name: string): boolean =>
    vendored.some((v) => v === name || (v.startsWith(`${name}-`) && v.endsWith('.tgz')))
  const missing = deps.filter((d) => typeof d.name === 'string' && !isVendored(d.name))
  if (missing.length === 0) return prepared
  const remote = missing.filter((d) => typeof d.repository !== 'string' || !d.repository.startsWith('file://'))
  if (remote.length > 0) {
    const names = remote
      .map((d) => `${String(d.name)}${typeof d.repository === 'string' ? ` (${d.repository})` : ''}`)
      .join(', ')
    return refuse(
      deps.indexOf(remote[0] as Record<string, unknown>),
      `chart dependencies not vendored in ${env.display(chartDir)}/charts: ${names}; they are not fetched (run helm dependency build and commit charts/)`,
    )
  }
  // Build the file:// dependencies into a copy, with their paths made absolute (they were relative to the chart).
  const copy = path.join(env.scratch, `${key}-chart`, path.basename(chartDir))
  await cp(view.toView(chartDir), copy, { recursive: true })
  await rm(path.join(copy, 'Chart.lock'), { force: true })
  const dependencies = deps.map((d) => {
    if (typeof d.repository !== 'string' || !d.repository.startsWith('file://')) return d
    const abs = path.resolve(chartDir, d.repository.slice('file://'.length))
    if (typeof d.name === 'string') prepared.localDependencies.set(d.name, abs)
    return { ...d, repository: `file://${view.toView(abs)}` }
  })
  await writeFile(path.join(copy, 'Chart.yaml'), JSON.stringify({ ...chart, dependencies }, null, 1))
  const run = await runConfined(
    env.tools.helm?.path ?? 'helm',
    ['dependency', 'update', '--skip-refresh', '--', copy],
    { cwd: copy, confinement: env.confinement },
  )
  if (run.limit !== undefined)
    return { failure: `helm dependency update of ${env.display(chartDir)} ${run.limit}: killed`, diagnostics: [] }
  if (run.code !== 0)
    return {
      failure: `helm dependency update of the file:// dependencies of ${env.display(chartDir)} failed: ${run.stderr.trim().split('\n').slice(0, 2).join(' ')}`,
      diagnostics: [],
    }
  return { ...prepared, dir: copy }
}
