import { getAtPointer, isRecord, parsePointer, type SourceSpan } from '../core/index.js'
import type { ParsedDocument } from '../yaml/index.js'
import { lineSpan } from './render-env.js'
import { lineWrites, listItemLines, valuesReferences, type TemplateIndex } from './template-index.js'

/** A chart template as read from the repository. */
export interface ChartTemplate {
  file: string
  text: string | undefined
  index: TemplateIndex | undefined
}

/** A values file in precedence order (the chart's values.yaml first). */
export interface ValuesSource {
  file: string
  document: ParsedDocument | undefined
}

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
const escape = (t: string): string => t.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * Where a field of a rendered object is written: the template line whose key path matches
 * the field's (among several, one that writes the rendered value, or whose `.Values`
 * reference holds it); when that line takes the value from `.Values`, the values entry that
 * set it (inline values of the application, then the values files from last to first); else
 * the template line, or for a field inside a list element, that element's line; else the
 * nearest ancestor; else line 1 of the template.
 */
export function locateInChart(
  pointer: string,
  object: unknown,
  template: ChartTemplate,
  values: readonly ValuesSource[],
  inline?: (valuesPointer: string) => SourceSpan | undefined,
): SourceSpan {
  const top = lineSpan(template.file, template.text, 1)
  const index = template.index
  if (!index) return top
  const tokens = parsePointer(pointer)
  const isIndex = (i: number): boolean =>
    /^\d+$/.test(tokens[i] ?? '') && Array.isArray(valueAt(object, tokens.slice(0, i)))
  for (let k = tokens.length; k > 0; k--) {
    // A list index has no key line of its own: match at the list's key, with the index left for the values lookup.
    if (isIndex(k - 1)) continue
    const keys = tokens.slice(0, k).filter((_t, i) => !isIndex(i))
    const candidates = index.lines(keys)
    if (candidates.length === 0) continue
    const line = pickLine(candidates, valueAt(object, tokens.slice(0, k)), index, values)
    const pointers = valuesReferences(index, line).map(
      (ref) => '/' + [...ref, ...tokens.slice(k)].map(escape).join('/'),
    )
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
    if (isIndex(k)) {
      const items = listItemLines(index, line)
      const element = valueAt(object, tokens.slice(0, k + 1))
      const n = Number(tokens[k])
      const written =
        isScalar(element) && k + 1 === tokens.length
          ? items.find((i) => lineWrites(index.text[i] ?? '', String(element)))
          : undefined
      const item = written ?? items[n] ?? (items.length === 1 ? items[0] : undefined)
      if (item !== undefined) return lineSpan(template.file, template.text, item + 1)
    }
    return lineSpan(template.file, template.text, line + 1)
  }
  return top
}

/** Among lines with the same key path, the one that writes the value, or whose `.Values` reference holds it, else the first. */
function pickLine(
  candidates: readonly number[],
  leaf: unknown,
  index: TemplateIndex,
  values: readonly ValuesSource[],
): number {
  if (candidates.length > 1 && isScalar(leaf)) {
    const written = candidates.find((c) => lineWrites(index.text[c] ?? '', String(leaf)))
    if (written !== undefined) return written
    const fromValues = candidates.find((c) =>
      valuesReferences(index, c).some((ref) =>
        values.some((v) => getAtPointer(v.document?.object, '/' + ref.map(escape).join('/')) === leaf),
      ),
    )
    if (fromValues !== undefined) return fromValues
  }
  return candidates[0] as number
}

function valueAt(root: unknown, tokens: readonly string[]): unknown {
  let node = root
  for (const t of tokens) node = Array.isArray(node) ? node[Number(t)] : isRecord(node) ? node[t] : undefined
  return node
}
