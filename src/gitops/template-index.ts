/**
 * Where each YAML key sits in a Helm template, found by indentation alone (templates are
 * not YAML until rendered). A key's path is its chain of parent keys, with list items
 * left out, so `/spec/template/spec/containers/0/securityContext` looks up
 * `spec/template/spec/containers/securityContext`.
 */
export interface TemplateIndex {
  /** 0-based lines holding this key path, in file order. */
  lines(keyPath: readonly string[]): readonly number[]
  readonly text: readonly string[]
}

const KEY = /^(\s*)((?:-\s+)*)(["']?)([^\s"':{}#][^"':{}#]*?)\3\s*:(?:\s|$)/
const DIRECTIVE_ONLY = /^\s*(\{\{.*?\}\}\s*)+$/

/** Index the keys of a template's text. */
export function indexTemplate(text: string): TemplateIndex {
  const lines = text.split(/\r?\n/)
  const byPath = new Map<string, number[]>()
  let stack: { column: number; key: string }[] = []
  lines.forEach((line, i) => {
    if (/^---/.test(line)) {
      stack = []
      return
    }
    if (line.trim() === '' || /^\s*#/.test(line) || DIRECTIVE_ONLY.test(line)) return
    const m = KEY.exec(line)
    if (!m) return
    const column = (m[1] as string).length + (m[2] as string).length
    while (stack.length > 0 && (stack[stack.length - 1] as { column: number }).column >= column) stack.pop()
    stack.push({ column, key: m[4] as string })
    const path = stack.map((s) => s.key).join('/')
    const list = byPath.get(path)
    if (list) list.push(i)
    else byPath.set(path, [i])
  })
  return { text: lines, lines: (keyPath) => byPath.get(keyPath.join('/')) ?? [] }
}

/**
 * The `.Values` paths a template line takes its value from: `{{ .Values.a.b }}` (every one
 * on the line, in order: `"{{ .Values.image.repository }}:{{ .Values.image.tag }}"`),
 * `{{ toYaml .Values.a | nindent 8 }}` on the line or on the directive-only line below it,
 * or `toYaml .` inside a `{{ with .Values.a }}` opened just above. Empty when the line
 * computes its value some other way.
 */
export function valuesReferences(index: TemplateIndex, line: number): string[][] {
  const direct = (text: string | undefined): string[] =>
    [...(text ?? '').matchAll(/\.Values\.([\w.]+)/g)].map((m) => m[1] as string)
  const here = index.text[line]
  const next = index.text[line + 1]
  let refs = direct(here)
  // `key:` alone, its value written by the directive line below (`{{- toYaml .Values.x | nindent 8 }}`).
  const bareKey = /:\s*$/.test(here ?? '')
  if (refs.length === 0 && bareKey && next !== undefined && DIRECTIVE_ONLY.test(next)) refs = direct(next)
  if (refs.length === 0 && /toYaml\s+\.\s*[|}]/.test(bareKey ? `${here ?? ''} ${next ?? ''}` : (here ?? ''))) {
    for (let j = line - 1; j >= Math.max(0, line - 3); j--) {
      const w = /\{\{-?\s*with\s+\.Values\.([\w.]+)/.exec(index.text[j] ?? '')
      if (w) {
        refs = [w[1] as string]
        break
      }
    }
  }
  return refs.map((ref) => ref.split('.').filter((s) => s !== ''))
}

/** Lines of the items of the list under the key at `keyLine` (`- name: web` below `containers:`), in order. */
export function listItemLines(index: TemplateIndex, keyLine: number): number[] {
  const indentOf = (text: string): number => text.length - text.trimStart().length
  const keyIndent = indentOf(index.text[keyLine] ?? '')
  const items: number[] = []
  let itemIndent: number | undefined
  for (let i = keyLine + 1; i < index.text.length; i++) {
    const text = index.text[i] as string
    if (text.trim() === '' || /^\s*#/.test(text) || DIRECTIVE_ONLY.test(text)) continue
    const indent = indentOf(text)
    const isItem = text.trimStart().startsWith('- ')
    if (indent < keyIndent || (indent === keyIndent && !isItem)) break
    if (isItem && (itemIndent === undefined || indent === itemIndent)) {
      itemIndent = indent
      items.push(i)
    }
  }
  return items
}

/**
 * True when a template line could have written this value: its value part, with every
 * `{{ ... }}` action taken as any text, matches it (`- --port={{ .Values.port }}` matches
 * `--port=9898`). A value part that is only actions proves nothing: false.
 */
export function lineWrites(text: string, value: string): boolean {
  let content = text.trim().replace(/^-\s+/, '')
  const kv = /^["']?[^\s"':{}#][^"':{}#]*?["']?\s*:\s+(.*)$/.exec(content)
  if (kv) content = kv[1] as string
  content = content.replace(/\s+#.*$/, '').trim()
  const quoted = /^(["'])(.*)\1$/.exec(content)
  if (quoted) content = quoted[2] as string
  const parts = content.split(/\{\{-?[\s\S]*?-?\}\}/)
  if (parts.every((p) => p.trim() === '')) return false
  return partsWrite(parts, value)
}

/**
 * Does `value` consist of `parts` in order with anything in between (an action writes any
 * text)? The first part must start it and the last end it; the parts between are taken at
 * their leftmost place, which is enough with only "any text" gaps. Linear in the value: a
 * regular expression of many `[\s\S]*` gaps backtracks polynomially, and the template text
 * comes from the repository.
 */
function partsWrite(parts: readonly string[], value: string): boolean {
  const first = parts[0] as string
  if (parts.length === 1) return value === first
  const last = parts[parts.length - 1] as string
  if (first.length + last.length > value.length || !value.startsWith(first) || !value.endsWith(last)) return false
  let at = first.length
  const end = value.length - last.length
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string
    const found = value.indexOf(part, at)
    if (found < 0 || found + part.length > end) return false
    at = found + part.length
  }
  return true
}
