import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isRecord, parsePointer, type Diagnostic, type SourceSpan } from '../core/index.js'
import { parseManifests, type ParsedDocument } from '../yaml/index.js'
import { runTool } from './exec.js'
import { prepareChart } from './helm-dependencies.js'
import { lineSpan, type RenderEnv, type RenderOutput } from './render-env.js'
import { indexTemplate, listItemLine, valuesReferences, type TemplateIndex } from './template-index.js'
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
  if (!helm) return { resources: [], diagnostics: [], failure: `helm not found: cannot render chart ${chart} (pass --helm PATH or put helm on PATH)` }
  const prepared = await prepareChart(spec.chartDir, env, helm.path, key)
  if ('failure' in prepared) return { resources: [], diagnostics: [], failure: prepared.failure }
  const args = ['template', spec.releaseName, prepared.dir, '--include-crds']
  if (spec.namespace) args.push('--namespace', spec.namespace)
  for (const f of spec.valuesFiles) args.push('--values', f)
  const extra: { values?: unknown; yaml?: string }[] = []
  if (spec.values) extra.push({ values: spec.values })
  if (spec.valuesYaml) extra.push({ yaml: spec.valuesYaml })
  for (const [i, e] of extra.entries()) {
    const file = path.join(env.scratch, `${key}-values-${i}.yaml`)
    await writeFile(file, e.yaml ?? JSON.stringify(e.values))
    args.push('--values', file)
  }
  for (const p of spec.parameters ?? []) args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${p.value}`)
  const run = await runTool(helm.path, args, { cwd: spec.chartDir, timeoutMs: env.timeoutMs })
  if (run.code !== 0) return { resources: [], diagnostics: [], failure: `helm template ${chart} failed: ${firstLines(run.stderr)}` }

  const valuesFiles = [path.join(spec.chartDir, 'values.yaml'), ...spec.valuesFiles]
  const values: { file: string; document: ParsedDocument | undefined }[] = []
  for (const f of valuesFiles) {
    const text = await env.readText(f)
    values.push({ file: env.display(f), document: text === undefined ? undefined : parseManifests(text, env.display(f)).documents[0] })
  }
  const out: RenderOutput = { resources: [], diagnostics: [] }
  const templates = new Map<string, { file: string; text: string | undefined; index: TemplateIndex | undefined }>()
  for (const chunk of splitOutput(run.stdout)) {
    const sourceFile = chunk.source === undefined ? path.join(spec.chartDir, 'Chart.yaml') : resolveTemplate(spec.chartDir, chunk.source, prepared.localDependencies)
    let template = templates.get(sourceFile)
    if (!template) {
      const text = await env.readText(sourceFile)
      template = { file: text === undefined ? env.display(path.join(spec.chartDir, 'Chart.yaml')) : env.display(sourceFile), text, index: text === undefined ? undefined : indexTemplate(text) }
      if (text === undefined) await env.readText(path.join(spec.chartDir, 'Chart.yaml'))
      templates.set(sourceFile, template)
    }
    const parsed = parseManifests(chunk.text, `${template.file} (rendered)`)
    out.diagnostics.push(...parsed.diagnostics.map((d): Diagnostic => ({ ...d, message: `rendered by helm from ${chart}: ${d.message}`, span: lineSpan(template.file, template.text, 1) })))
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

function locateInChart(
  pointer: string,
  object: unknown,
  template: { file: string; text: string | undefined; index: TemplateIndex | undefined },
  values: { file: string; document: ParsedDocument | undefined }[],
  inline?: (valuesPointer: string) => SourceSpan | undefined,
): SourceSpan {
  const top = lineSpan(template.file, template.text, 1)
  if (!template.index) return top
  const tokens = parsePointer(pointer)
  for (let k = tokens.length; k > 0; k--) {
    // A list index has no key line of its own: match at the list's key, with the index left for the values lookup.
    if (/^\d+$/.test(tokens[k - 1] as string) && Array.isArray(valueAt(object, tokens.slice(0, k - 1)))) continue
    const keys = tokens.slice(0, k).filter((t, i) => !/^\d+$/.test(t) || !Array.isArray(valueAt(object, tokens.slice(0, i))))
    const candidates = template.index.lines(keys)
    if (candidates.length === 0) continue
    const leaf = valueAt(object, tokens.slice(0, k))
    const literal = typeof leaf === 'string' || typeof leaf === 'number' || typeof leaf === 'boolean' ? String(leaf) : undefined
    const line = (literal !== undefined ? candidates.find((c) => (template.index?.text[c] ?? '').includes(`: ${literal}`)) : undefined) ?? (candidates[0] as number)
    // The values source with the highest precedence that sets one of the line's references:
    // the application's inline values, then the values files from last to first.
    const pointers = valuesReferences(template.index, line).map((ref) => '/' + [...ref, ...tokens.slice(k)].map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/'))
    for (const p of pointers) {
      const fromInline = inline?.(p)
      if (fromInline) return fromInline
    }
    for (let v = values.length - 1; v >= 0; v--) {
      for (const p of pointers) {
        const found = values[v]?.document?.locate(p)
        if (found?.exact) return found.span
      }
    }
    // A field inside a list element the template writes: the element's first line.
    const next = tokens[k]
    const item = next !== undefined && /^\d+$/.test(next) && Array.isArray(valueAt(object, tokens.slice(0, k))) ? listItemLine(template.index, line, Number(next)) : undefined
    return lineSpan(template.file, template.text, (item ?? line) + 1)
  }
  return top
}

function valueAt(root: unknown, tokens: readonly string[]): unknown {
  let node = root
  for (const t of tokens) node = Array.isArray(node) ? node[Number(t)] : isRecord(node) ? node[t] : undefined
  return node
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
