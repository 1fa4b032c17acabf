import { cp, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isRecord } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import { runTool } from './exec.js'
import type { RenderEnv } from './render-env.js'

/** The folder to template, and the repository folder of each dependency built from a `file://` path. */
export interface PreparedChart {
  dir: string
  localDependencies: Map<string, string>
}

/**
 * Make a chart's dependencies available as Argo CD does before rendering: dependencies
 * vendored in charts/ are used as they are; `file://` dependencies that are not are built
 * (`helm dependency update --skip-refresh`, offline) into a scratch copy of the chart, the
 * repository is never written; dependencies from chart repositories that are not vendored
 * cannot be fetched offline and fail the render with their names.
 */
export async function prepareChart(chartDir: string, env: RenderEnv, helm: string, key: string): Promise<PreparedChart | { failure: string }> {
  const text = await env.readText(path.join(chartDir, 'Chart.yaml'))
  const chart = text === undefined ? undefined : parseManifests(text, env.display(path.join(chartDir, 'Chart.yaml'))).documents[0]?.object
  const deps = isRecord(chart) && Array.isArray(chart.dependencies) ? chart.dependencies.filter(isRecord) : []
  const prepared: PreparedChart = { dir: chartDir, localDependencies: new Map() }
  if (deps.length === 0 || !isRecord(chart)) return prepared
  const vendored = await readdir(path.join(chartDir, 'charts')).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[]
    throw new Error(`cannot read ${env.display(path.join(chartDir, 'charts'))}`, { cause: error })
  })
  const isVendored = (name: string): boolean => vendored.some((v) => v === name || (v.startsWith(`${name}-`) && v.endsWith('.tgz')))
  const missing = deps.filter((d) => typeof d.name === 'string' && !isVendored(d.name))
  if (missing.length === 0) return prepared
  const remote = missing.filter((d) => typeof d.repository !== 'string' || !d.repository.startsWith('file://'))
  if (remote.length > 0) {
    const names = remote.map((d) => `${String(d.name)}${typeof d.repository === 'string' ? ` (${d.repository})` : ''}`).join(', ')
    return { failure: `chart dependencies not vendored in ${env.display(chartDir)}/charts: ${names}; they cannot be fetched offline (run helm dependency build and commit charts/)` }
  }
  // Build the file:// dependencies into a copy, with their paths made absolute (they were relative to the chart).
  const copy = path.join(env.scratch, `${key}-chart`, path.basename(chartDir))
  await cp(chartDir, copy, { recursive: true })
  await rm(path.join(copy, 'Chart.lock'), { force: true })
  const dependencies = deps.map((d) => {
    if (typeof d.repository !== 'string' || !d.repository.startsWith('file://')) return d
    const abs = path.resolve(chartDir, d.repository.slice('file://'.length))
    if (typeof d.name === 'string') prepared.localDependencies.set(d.name, abs)
    return { ...d, repository: `file://${abs}` }
  })
  await writeFile(path.join(copy, 'Chart.yaml'), JSON.stringify({ ...chart, dependencies }, null, 1))
  const run = await runTool(helm, ['dependency', 'update', '--skip-refresh', copy], { cwd: copy, timeoutMs: env.timeoutMs })
  if (run.code !== 0) return { failure: `helm dependency update of the file:// dependencies of ${env.display(chartDir)} failed: ${run.stderr.trim().split('\n').slice(0, 2).join(' ')}` }
  return { ...prepared, dir: copy }
}
