/**
 * Kubernetes manifests in, plain objects out: YAML read as kubectl reads it (go-yaml v2,
 * YAML 1.1 rules), with exact positions found on demand through JSON Pointers, and JSON
 * Patch applied to the source text without disturbing what the patch does not touch.
 * Pure: no I/O, no clock, no logging. README.md explains the choices.
 */
import type { Diagnostic, PatchOperation } from '../core/index.js'
import { applyPatch as applyPatchToText } from './patch/apply-patch.js'
import { decodeSource as decodeBytes } from './decode-source.js'
import {
  fastPathReport as reportFastPath,
  parseManifests as parseText,
  type FastPathReport as Report,
  type ParseOptions as Options,
} from './parse-manifests.js'
import type { ParsedDocument as Document } from './positions/parsed-document.js'

/**
 * One document of a manifest file. `object` is the value as Kubernetes reads it (null for an
 * empty document); `index` counts every document of the file, empty ones included, as
 * `yaml`'s parseAllDocuments does. Positions (`span`, `locate`) are computed only when asked
 * for: line and column are 1-based, offset 0-based, all in UTF-16 code units of the text.
 *
 * @example
 * const { documents } = parseManifests(text, 'deploy.yaml')
 * const { span, exact } = documents[0].locate('/spec/template/spec/containers/0/securityContext/privileged')
 * // span.start is the `privileged` key; exact is false when the field is absent and an ancestor is given
 */
export type ParsedDocument = Document

/**
 * Limits against hostile input: `maxDepth` (default 500) and `maxAliasExpansion` (default
 * 1,000,000 nodes). `fastPath: false` sends every file to js-yaml instead of trying the fast
 * reader first (the documents are the same; for tests and benchmarks).
 */
export type ParseOptions = Options

/**
 * Decode file bytes to text: strip a UTF-8 BOM, decode UTF-16 LE/BE with BOM, reject binary
 * (NUL bytes in the first 8 KiB) and invalid UTF-8 with a FILE_NOT_TEXT diagnostic that says
 * where (line of the first bad byte). Never throws.
 */
export function decodeSource(bytes: Uint8Array, file: string): { text: string } | { diagnostic: Diagnostic } {
  return decodeBytes(bytes, file)
}

/**
 * Parse a .yaml/.yml/.json file into documents. Never throws on bad input: problems become
 * diagnostics (YAML_SYNTAX, YAML_DUPLICATE_KEY) with file, line and column, and every good
 * document of the file is still returned. A document with a duplicate key, excessive
 * aliasing or too deep a nesting is dropped, as kubectl would refuse it.
 *
 * @example
 * const { documents, diagnostics } = parseManifests('a: yes\nmode: 0644\n', 'x.yaml')
 * documents[0].object // { a: true, mode: 420 }
 */
export function parseManifests(
  text: string,
  file: string,
  options?: ParseOptions,
): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  return parseText(text, file, options)
}

/** Whether the fast reader took a YAML text (and how many documents it read), or why and where it gave up. */
export type FastPathReport = Report

/**
 * Whether `parseManifests` reads this YAML text with its fast reader, or why it gives up and
 * lets js-yaml read it (for benchmarks and tests: the documents are the same either way).
 * JSON files (first character `{` or `[`) go to JSON.parse before either reader.
 *
 * @example
 * fastPathReport('a: &x 1\nb: *x\n') // { taken: true, documents: 1 }
 * fastPathReport('a: !!str 1\n')      // { taken: false, reason: 'unsupported value', offset: 3 }
 */
export function fastPathReport(text: string, options?: ParseOptions): FastPathReport {
  return reportFastPath(text, options)
}

/**
 * Apply JSON Patch operations to one document of a YAML file, preserving comments, key order
 * and formatting of everything not touched. 'add' creates missing parent maps. Returns the
 * new full file text. Idempotent when the patch is already applied: an add or replace whose
 * value is already there, a remove of an absent path, and an append (`/-`) of an item the
 * list already holds change nothing. (A remove of a list item by index cannot be: its path
 * then names the next item.)
 *
 * @throws ToolError('YAML_SYNTAX') when the document cannot be parsed, and
 * ToolError('RESOURCE_INVALID') when an operation cannot apply (replace of a missing path,
 * a path through a scalar, an array index out of range) or would also change other places
 * (a path through an alias, a merge source, or an anchor that aliases use).
 *
 * @example
 * applyPatch(text, 0, [{ op: 'add', path: '/spec/securityContext/runAsNonRoot', value: true }])
 */
export function applyPatch(text: string, documentIndex: number, operations: readonly PatchOperation[]): string {
  return applyPatchToText(text, documentIndex, operations)
}

/**
 * Objects as a multi-document YAML stream (`---` between documents), without anchors or
 * folded lines, for manifests Palisade generates (`palisade install --print`).
 */
export { stringifyManifests } from './stringify.js'
export { documentHeaders, type DocumentHeader, type Header } from './document-headers.js'

/**
 * The document index and JSON Pointer of the mapping key or list item that starts at
 * `offset` of `text` (what `locate` returns for an existing field), or undefined. Lets a
 * position found in a source (a values file, a kustomize patch) be edited with `applyPatch`.
 *
 * @example
 * pointerAt('a:\n  b: 1\n', 5) // { document: 0, pointer: '/a/b' }
 */
export { pointerAt } from './pointer-at.js'
