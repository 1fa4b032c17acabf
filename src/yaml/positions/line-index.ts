import type { Position, SourceSpan } from '../../core/index.js'

/**
 * Offsets to 1-based line and column, in UTF-16 code units of the text. Line breaks are
 * `\n`, `\r\n` and a lone `\r` (as js-yaml reads them), so columns stay exact with CRLF.
 * The table of line starts is built on first use.
 */
export class LineIndex {
  private starts: number[] | undefined

  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  position(offset: number): Position {
    const starts = (this.starts ??= lineStarts(this.text))
    const clamped = Math.max(0, Math.min(offset, this.text.length))
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if ((starts[mid] ?? 0) <= clamped) low = mid
      else high = mid - 1
    }
    return { line: low + 1, column: clamped - (starts[low] ?? 0) + 1, offset: clamped }
  }

  span(start: number, end: number): SourceSpan {
    return { file: this.file, start: this.position(start), end: this.position(Math.max(start, end)) }
  }
}

const LONE_CR = /\r(?!\n)/

function lineStarts(text: string): number[] {
  const starts = [0]
  // indexOf runs at memory speed; the regex only when there is a carriage return at all.
  if (!text.includes('\r') || !LONE_CR.test(text)) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
    return starts
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x0a) starts.push(i + 1)
    else if (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a) starts.push(i + 1)
  }
  return starts
}
