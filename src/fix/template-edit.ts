import { isRecord } from '../core/index.js'
import { splitLines } from './hunks.js'

/** Lines of a Helm template replaced (1-based `start` to `end - 1`; `start === end` inserts before `start`). */
export interface TemplateEdit {
  start: number
  end: number
  lines: string[]
}

const KEY_LINE = /^(\s*)((?:-\s+)?)(["']?)([A-Za-z0-9_./-]+)\3(\s*:)(\s*)(.*?)(\s+#.*)?$/
const indentOf = (line: string): number => line.length - line.trimStart().length
/** A line whose structure (keys, items, indentation) is template syntax: a directive, an include, a `{{` before any key. */
const structural = (line: string): boolean => /^\s*(-\s+)?\{\{/.test(line)

/**
 * A fix written into a Helm template's literal text, keeping the template syntax around it:
 * `replace` of a scalar written literally on its key's line (`imagePullPolicy: Never`), and
 * `add` of keys below a literal key or list item (`securityContext:` under `- name: worker`)
 * whose block has no template structure (directives, includes, `{{` keys); values written
 * with `{{ }}` on key lines are fine. Anything else is undefined (no edit). `line` is the
 * 1-based line the locator gives for the field (replace) or its nearest ancestor (add);
 * `written` the rendered value there. The re-render proves the edit.
 */
export function templateEdit(
  text: string,
  line: number,
  op: 'add' | 'replace' | 'remove',
  keys: readonly string[],
  value: unknown,
  written: unknown,
): TemplateEdit | undefined {
  const lines = text.split(/\r?\n/)
  const at = lines[line - 1]
  if (at === undefined || op === 'remove') return undefined
  const m = KEY_LINE.exec(at)
  if (op === 'replace') {
    if (!m || keys.length !== 0 || (m[7] ?? '').includes('{{') || !isScalar(value) || !sameScalar(m[7] ?? '', written))
      return undefined
    return {
      start: line,
      end: line + 1,
      lines: [`${m[1]}${m[2]}${m[3]}${m[4]}${m[3]}${m[5]}${m[6] || ' '}${scalar(value, m[7] ?? '')}${m[8] ?? ''}`],
    }
  }
  if (keys.length === 0 || keys.some((k) => /^\d+$|^-$/.test(k))) return undefined
  // The block the new keys go into: below a bare `key:` line, or the keys of a `- key: v` list item.
  const item = m !== null && m[2] !== ''
  const bare = m !== null && !item && (m[7] ?? '') === ''
  if (!item && !bare) return undefined
  const base = indentOf(at)
  let last = line
  let childIndent = item ? base + (m?.[2]?.length ?? 2) : undefined
  for (let i = line; i < lines.length; i++) {
    const l = lines[i] as string
    if (l.trim() === '') continue
    // Template syntax inside the block, or right where it ends (`{{ toYaml ... | indent 12 }}` at column 0
    // writes into it): the block's extent is not known from the text.
    if (structural(l)) return undefined
    if (indentOf(l) <= base) break
    if (childIndent === undefined && !l.trimStart().startsWith('#')) childIndent = indentOf(l)
    last = i + 1
  }
  if (childIndent === undefined) return undefined
  return { start: last + 1, end: last + 1, lines: block(keys, value, childIndent) }
}

function block(keys: readonly string[], value: unknown, indent: number): string[] {
  const [first, ...rest] = keys
  const pad = ' '.repeat(indent)
  if (rest.length > 0) return [`${pad}${first}:`, ...block(rest, value, indent + 2)]
  if (isScalar(value)) return [`${pad}${first}: ${scalar(value, '')}`]
  if (Array.isArray(value))
    return [`${pad}${first}:`, ...value.map((v) => `${pad}  - ${isScalar(v) ? scalar(v, '') : JSON.stringify(v)}`)]
  if (isRecord(value))
    return [`${pad}${first}:`, ...Object.entries(value).flatMap(([k, v]) => block([k], v, indent + 2))]
  return [`${pad}${first}: ${JSON.stringify(value)}`]
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
}

/** A scalar in the style of the text it replaces: its quotes, else plain when YAML reads it back as the same string. */
function scalar(value: string | number | boolean, old: string): string {
  if (typeof value !== 'string') return String(value)
  if (old.startsWith("'") && !value.includes("'")) return `'${value}'`
  if (
    old.startsWith('"') ||
    !/^[A-Za-z][\w./:@-]*$/.test(value) ||
    /^(y|yes|n|no|true|false|on|off|null)$/i.test(value)
  )
    return JSON.stringify(value)
  return value
}

function sameScalar(text: string, written: unknown): boolean {
  const unquoted = /^(["'])(.*)\1$/.exec(text)?.[2] ?? text
  return isScalar(written) && unquoted === String(written)
}

/** Apply template edits to a text, bottom-up so that line numbers hold; an edit overlapping one already applied is left out (returned in `skipped`). */
export function applyTemplateEdits<T>(
  text: string,
  edits: readonly { item: T; edit: TemplateEdit }[],
): { text: string; applied: T[]; skipped: T[] } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  // Lines keep their own endings, so the bytes of the lines not edited stay as they were.
  const lines = splitLines(text)
  const applied: T[] = []
  const skipped: T[] = []
  let floor = Infinity
  for (const { item, edit } of [...edits].sort((a, b) => b.edit.start - a.edit.start || b.edit.end - a.edit.end)) {
    const same = edit.start === edit.end && edit.start === floor
    if (edit.end > floor && !same) {
      skipped.push(item)
      continue
    }
    const replacesLast = edit.end - 1 === lines.length && !(lines[lines.length - 1] ?? '\n').endsWith('\n')
    const added = edit.lines.map((l, i) => (replacesLast && i === edit.lines.length - 1 ? l : l + eol))
    if (edit.start - 1 === lines.length && lines.length > 0 && !(lines[lines.length - 1] as string).endsWith('\n'))
      lines[lines.length - 1] += eol
    lines.splice(edit.start - 1, edit.end - edit.start, ...added)
    floor = edit.start
    applied.push(item)
  }
  return { text: lines.join(''), applied, skipped }
}
