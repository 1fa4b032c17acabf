import {
  formatPointer,
  getAtPointer,
  isRecord,
  jsonEqual,
  parsePointer,
  type KubeObject,
  type PatchOperation,
  type SourceSpan,
} from '../core/index.js'
import { parseManifests, pointerAt } from '../yaml/index.js'
import { templateEdit, type TemplateEdit } from './template-edit.js'

/**
 * Does the source value produce the rendered one? A field the fix replaces must be there
 * exactly (a computed value is not); for a field the fix adds (`next`, missing in the
 * render), the source must be the same kind of collection and lack it too: a base or patch
 * that writes the container, a values subtree printed as the securityContext. The re-render
 * proves the rest.
 */
function holds(source: unknown, rendered: unknown, next: string | undefined): boolean {
  if (next === undefined) return jsonEqual(source, rendered)
  if (next === '-') return Array.isArray(source) && Array.isArray(rendered)
  return isRecord(source) && isRecord(rendered) && !Object.hasOwn(source, next)
}

/** A rendered object (Helm, Kustomize) and the way back from its fields to the repository. */
export interface RenderedSource {
  object: KubeObject
  renderedBy: 'helm' | 'kustomize'
  /** The template (Helm) or origin file (Kustomize) it is attributed to. */
  file: string
  locate(pointer: string): SourceSpan
}

/** Fix operations re-aimed at the YAML document that produces the fields, or why that cannot be done safely. */
export type SourceEdit =
  | { file: string; document: number; operations: PatchOperation[] }
  | { file: string; template: TemplateEdit }
  | { reason: string }

/**
 * Where a fix of a rendered object must be written so that the next render produces it:
 * each operation's nearest existing field is located in the repository (the values entry
 * that sets it, the kustomize base or patch that writes it); when that place holds exactly
 * the rendered value (a `.Values` subtree printed with toYaml, a value printed as it is, a
 * base or patch written literally), the operation is re-aimed there. A field written as
 * Helm template text, or whose source holds something else than the render shows (a
 * computed value, a string built from several values, a transformer's output), gets no
 * edit and the reason. `texts` holds the repository files the render points into. Pure.
 */
export function sourceEdit(
  source: RenderedSource,
  operations: readonly PatchOperation[],
  texts: ReadonlyMap<string, string>,
): SourceEdit {
  let target: { file: string; document: number } | undefined
  const out: PatchOperation[] = []
  for (const op of operations) {
    const tokens = parsePointer(op.path)
    let depth = tokens.length
    while (depth > 0 && getAtPointer(source.object, formatPointer(tokens.slice(0, depth))) === undefined) depth--
    if (op.op !== 'add' && depth < tokens.length) continue // nothing to replace or remove: the patcher would skip it too
    if (depth === 0) return { reason: 'the object as a whole comes from the render' }
    const ancestor = formatPointer(tokens.slice(0, depth))
    const span = source.locate(ancestor)
    const where = `${span.file}:${span.start.line}`
    const text = texts.get(span.file)
    if (text === undefined) return { reason: `${where} is not a file of the scanned repository` }
    if (source.renderedBy === 'helm' && (span.file === source.file || /\.tpl$/.test(span.file))) {
      // Literal template text: edited in place when the fix is one operation on literal lines.
      const edit =
        operations.length === 1 && !/\.tpl$/.test(span.file)
          ? templateEdit(
              text,
              span.start.line,
              depth === tokens.length && op.op === 'add' ? 'replace' : op.op,
              tokens.slice(depth),
              op.value,
              getAtPointer(source.object, ancestor),
            )
          : undefined
      return edit
        ? { file: span.file, template: edit }
        : {
            reason: `${where} writes the field as template text that cannot be edited safely (template syntax around it, or a computed value)`,
          }
    }
    const found = pointerAt(text, span.start.offset, /^\d+$/.test(tokens[depth - 1] ?? '') ? 'item' : 'key')
    if (!found) return { reason: `${where} is not a YAML field that can be edited` }
    const document = parseManifests(text, span.file).documents.find((d) => d.index === found.document)
    let at = found.pointer
    // An operation of a JSON 6902 patch starts where its first key (`op`) does.
    const parent = at.endsWith('/op') ? getAtPointer(document?.object, at.slice(0, -3)) : undefined
    if (isRecord(parent) && typeof parent.path === 'string' && 'value' in parent) at = at.slice(0, -3)
    let there = getAtPointer(document?.object, at)
    const rendered = getAtPointer(source.object, ancestor)
    // A JSON 6902 patch is located at its operation; the field is in the operation's value.
    if (
      isRecord(there) &&
      typeof there.op === 'string' &&
      typeof there.path === 'string' &&
      'value' in there &&
      !jsonEqual(there, rendered)
    ) {
      const opTokens = parsePointer(there.path)
      const inside = tokens.slice(opTokens.length, depth)
      const matches =
        opTokens.length <= depth &&
        opTokens.every((t, i) => t === tokens[i] || (t === '-' && /^\d+$/.test(tokens[i] ?? '')))
      at += '/value' + (matches ? formatPointer(inside) : '')
      there = matches ? getAtPointer(there.value, formatPointer(inside)) : there.value
    }
    if (!holds(there, rendered, tokens[depth]))
      return { reason: `${where} does not hold the rendered value as it is (computed, or built from several values)` }
    if (target && (target.file !== span.file || target.document !== found.document))
      return { reason: 'the fix would be spread over several files' }
    target = { file: span.file, document: found.document }
    out.push({ ...op, path: at + formatPointer(tokens.slice(depth)) })
  }
  return target ? { ...target, operations: out } : { reason: 'nothing to change in the source' }
}
