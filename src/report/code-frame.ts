import type { SourceSpan } from '../core/index.js'
import type { Paint } from './paint.js'
import { printable } from './printable.js'

const CONTEXT = 2
/** Longer lines are cut to a window around the column, so a minified file does not flood the terminal. */
const MAX_WIDTH = 160
const LEAD = 60

/**
 * Lines as the YAML layer counts them: `\n`, `\r\n` and a lone `\r` each end a line.
 * The last text's lines are kept: a report frames many findings of one file in a row, and
 * splitting the whole file again for each made a text report quadratic in the file's size.
 */
let lastText: string | undefined
let lastLines: readonly string[] = []
function splitLines(text: string): readonly string[] {
  if (text !== lastText) {
    lastLines = text.split(/\r\n|\r|\n/)
    lastText = text
  }
  return lastLines
}

/**
 * A code frame: the span's line with up to two lines of context either side, a
 * line-number gutter, `>` on the span's line and carets under the span (to the end of
 * that line when the span goes on). Columns are UTF-16 code units, as in SourceSpan.
 * Returns [] when the line is not in the text.
 */
export function codeFrame(text: string, span: SourceSpan, paint: Paint, indent = '    '): string[] {
  const lines = splitLines(text)
  const target = span.start.line
  // The empty "line" after a final line break is not shown, unless the span is on it.
  const count =
    lines.length > 1 && lines[lines.length - 1] === '' && target < lines.length ? lines.length - 1 : lines.length
  if (target < 1 || target > count) return []
  const first = Math.max(1, target - CONTEXT)
  const last = Math.min(count, target + CONTEXT)
  const width = String(last).length
  const out: string[] = []
  for (let n = first; n <= last; n++) {
    const raw = lines[n - 1] ?? ''
    const startCol = n === target ? span.start.column : 1
    const view = windowed(raw, startCol)
    const marker = n === target ? paint(['bold', 'red'], '>') : ' '
    const gutter = paint('dim', `${String(n).padStart(width)} |`)
    out.push(`${indent}${marker} ${gutter}${view.text === '' ? '' : ` ${printable(view.text)}`}`)
    if (n === target) {
      const from = Math.min(Math.max(span.start.column - 1, 0), raw.length)
      const sameLine = span.end.line === span.start.line
      const to = sameLine ? Math.min(Math.max(span.end.column - 1, from + 1), raw.length) : raw.length
      const before = raw.slice(view.offset, from)
      // Tabs stay tabs so the caret lands under the same column in any tab width.
      const pad = (view.offset > 0 ? ' ' : '') + [...before].map((c) => (c === '\t' ? '\t' : ' ')).join('')
      const carets = '^'.repeat(Math.max(1, Math.min([...raw.slice(from, to)].length, MAX_WIDTH)))
      out.push(`${indent}  ${paint('dim', `${' '.repeat(width)} |`)} ${pad}${paint(['bold', 'red'], carets)}`)
    }
  }
  return out
}

/** The part of a line to show: all of it, or a window around `column` marked with … at cut ends. */
function windowed(line: string, column: number): { text: string; offset: number } {
  if (line.length <= MAX_WIDTH) return { text: line, offset: 0 }
  const offset = Math.max(0, Math.min(column - 1 - LEAD, line.length - MAX_WIDTH))
  const end = offset + MAX_WIDTH
  return { text: `${offset > 0 ? '…' : ''}${line.slice(offset, end)}${end < line.length ? '…' : ''}`, offset }
}
