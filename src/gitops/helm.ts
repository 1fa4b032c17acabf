import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isRecord, type Diagnostic } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import { runConfined } from './exec.js'
import { prepareChart } from './helm-dependencies.js'
import { lineSpan, type RenderEnv, type RenderOutput } from './render-env.js'
import { locateInChart, type ChartTemplate, type ValuesSource } from './helm-locate.js'
import { helmSpecProblem, helmTemplateArgs } from './render-args.js'
import { isInside } from './repo-view.js'
import { indexTemplate } from './template-index.js'
import type { RenderSpec } from './types.js'

type HelmSpec = Extract<RenderSpec, { tool: 'helm' }>

/**
 * Render a chart with `helm template` and attribute every object to its template file
 * (from helm's `# Source:` comments). A field is placed on the template line that writes
 * its key; when that line takes the value from `.Values`, on the values entry that set it
 * (the last values file holding it); else on the nearest ancestor key; else at the top of
 * the template.
 */
export async function renderHelm(spec: HelmSpec, env: RenderEnv, key: string): Promise<RenderOutput> {
  const helm = env.tools.helm
  const chart = env.display(spec.chartDir)
  if (!helm)
    return {
      resources: [],
      diagnostics: [],
      failure: `helm not found: cannot render chart ${chart} (pass --helm PATH or put helm on PATH)`,
    }
  const invalid = helmSpecProblem(spec)
  if (invalid) return { resources: [], diagnostics: [], failure: `${invalid.problem}: not passed to helm` }
  const view = await env.viewOf(spec.chartDir)
  const removed = env.removedBelow(view, spec.chartDir)
  const prepared = await prepareChart(spec.chartDir, env, view, key)
  if ('failure' in prepared)
    return { resources: [], diagnostics: [...removed, ...prepared.diagnostics], failure: prepared.failure }
  const valuesArgs: string[] = []
  for (const f of spec.valuesFiles) {
    const fv = isInside(view.root, f) ? view : await env.viewOf(f)
    valuesArgs.push(fv.toView(f))
  }
  const extra: { values?: unknown; yaml?: string }[] = []
  if (spec.values) extra.push({ values: spec.values })
  if (spec.valuesYaml) extra.push({ yaml: spec.valuesYaml })
  for (const [i, e] of extra.entries()) {
    const file = path.join(env.scratch, `${key}-values-${i}.yaml`)
    await writeFile(file, e.yaml ?? JSON.stringify(e.values))
    valuesArgs.push(file)
  }
  const fileArgs: { name: string; file: string }[] = []
  for (const p of spec.fileParameters ?? []) {
    const fv = isInside(view.root, p.file) ? view : await env.viewOf(p.file)
    fileArgs.push({ name: p.name, file: fv.toView(p.file) })
  }
  const args = helmTemplateArgs(spec, valuesArgs, prepared.dir, fileArgs)
  const run = await runConfined(helm.path, args, { cwd: view.toView(spec.chartDir), confinement: env.confinement })
  if (run.limit !== undefined)
    return { resources: [], diagnostics: removed, failure: `helm template ${chart} ${run.limit}: killed` }
  if (run.code !== 0)
    return {
      resources: [],
      diagnostics: removed,
      failure: `helm template ${chart} failed: ${firstLines(run.stderr.replaceAll(view.dir, env.display(view.root)))}`,
    }

  const valuesFiles = [path.join(spec.chartDir, 'values.yaml'), ...spec.valuesFiles]
  const values: ValuesSource[] = []
  for (const f of valuesFiles) {
    const text = await env.readText(f)
    values.push({
      file: env.display(f),
      document: text === undefined ? undefined : parseManifests(text, env.display(f)).documents[0],
    })
  }
  const out: RenderOutput = { resources: [], diagnostics: [...removed] }
  const templates = new Map<string, ChartTemplate>()
  for (const chunk of splitOutput(run.stdout)) {
    const sourceFile =
      chunk.source === undefined
        ? path.join(spec.chartDir, 'Chart.yaml')
        : resolveTemplate(spec.chartDir, chunk.source, prepared.localDependencies)
    let template = templates.get(sourceFile)
    if (!template) {
      const text = await env.readText(sourceFile)
      template = {
        file: text === undefined ? env.display(path.join(spec.chartDir, 'Chart.yaml')) : env.display(sourceFile),
        text,
        index: text === undefined ? undefined : indexTemplate(text),
      }
      if (text === undefined) await env.readText(path.join(spec.chartDir, 'Chart.yaml'))
      templates.set(sourceFile, template)
    }
    const parsed = parseManifests(chunk.text, `${template.file} (rendered)`)
    out.diagnostics.push(
      ...parsed.diagnostics.map((d): Diagnostic => ({
        ...d,
        message: `rendered by helm from ${chart}: ${d.message}`,
        span: lineSpan(template.file, template.text, 1),
      })),
    )
    for (const document of parsed.documents) {
      if (!isRecord(document.object) || typeof document.object.kind !== 'string') continue
      const t = template
      out.resources.push({
        object: document.object,
        file: t.file,
        document: 0,
        prefix: '',
        renderedBy: 'helm',
        locate: (pointer) => locateInChart(pointer, document.object, t, values),
        locateWithValues: (pointer, inline) => locateInChart(pointer, document.object, t, values, inline),
      })
    }
  }
  return out
}

/** Split `helm template` output into documents with their `# Source:` path. */
export function splitOutput(stdout: string): { source?: string; text: string }[] {
  const chunks: { source?: string; text: string }[] = []
  for (const text of stdout.split(/^---[ \t]*$/m)) {
    if (text.trim() === '') continue
    const source = /^# Source: (.+)$/m.exec(text)?.[1]?.trim()
    chunks.push(source === undefined ? { text } : { source, text })
  }
  return chunks
}

/**
 * `mychart/charts/sub/templates/x.yaml` → <chartDir>/charts/sub/templates/x.yaml (the first
 * segment is the chart name); a dependency built from a `file://` path maps to that folder.
 */
function resolveTemplate(chartDir: string, source: string, local: ReadonlyMap<string, string>): string {
  const parts = source.split('/').slice(1)
  const dependency = parts[0] === 'charts' && parts[1] !== undefined ? local.get(parts[1]) : undefined
  return dependency === undefined ? path.join(chartDir, ...parts) : path.join(dependency, ...parts.slice(2))
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' ').slice(0, 400)
}
