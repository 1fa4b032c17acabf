import type { Position, SourceSpan } from '../../core/index.js'

/**
 * Offsets to 1-based line and column, in UTF-16 code units of the text. Line breaks are
 * `\n`, `\r\n` and a lone `\r` (as js-yaml reads them), so columns stay exact with CRLF.
 * The table of line starts is built on first use, in an Int32Array: a dense scan's second
 * pass builds one per file (two million lines over 59 MB), and as a growing array of
 * numbers it was 55 MB of the heap's garbage; a typed array's storage lies outside it.
 */
export class LineIndex {
  private starts: Int32Array<ArrayBuffer> | undefined
  private count = 0

  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  position(offset: number): Position {
    const starts = this.starts ?? this.build()
    const clamped = Math.max(0, Math.min(offset, this.text.length))
    let low = 0
    let high = this.count - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid]! <= clamped) low = mid
      else high = mid - 1
    }
    return { line: low + 1, column: clamped - starts[low]! + 1, offset: clamped }
  }

  span(start: number, end: number): SourceSpan {
    return { file: this.file, start: this.position(start), end: this.position(Math.max(start, end)) }
  }

  private build(): Int32Array<ArrayBuffer> {
    const text = this.text
    // About one line per 32 characters in manifests; doubled when there are more.
    let starts = new Int32Array(16 + (text.length >> 5))
    let count = 1
    // indexOf runs at memory speed; the regex only when there is a carriage return at all.
    if (!text.includes('\r') || !LONE_CR.test(text)) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
        if (count === starts.length) starts = doubled(starts)
        starts[count++] = i + 1
      }
    } else {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i)
        if (code !== 0x0a && (code !== 0x0d || text.charCodeAt(i + 1) === 0x0a)) continue
        if (count === starts.length) starts = doubled(starts)
        starts[count++] = i + 1
      }
    }
    this.count = count
    this.starts = starts
    return starts
  }
}

function doubled(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2)
  grown.set(array)
  return grown
}

const LONE_CR = /\r(?!\n)/
