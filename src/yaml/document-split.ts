/** A stretch of the file holding at most one document, used to recover after a syntax error. */
export interface Segment {
  start: number
  end: number
  /** False for a stretch of only comments, blank lines and directives, which holds no document. */
  hasDocument: boolean
}

const MARKER = /^(?:---|\.\.\.)(?:[ \t\r\n]|$)/
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?\r?$/

/**
 * Split text at document markers. A `---` or `...` at column 0 is a marker wherever it
 * appears, even inside a block or quoted scalar (YAML forbids such lines there), so the split
 * needs no parsing. Directives (`%YAML`, `%TAG`) stay with the `---` that follows them.
 */
export function splitDocuments(text: string): Segment[] {
  const segments: Segment[] = []
  let current: Segment = { start: 0, end: 0, hasDocument: false }
  let hasContent = false
  const startNew = (at: number) => {
    current.end = at
    segments.push(current)
    current = { start: at, end: at, hasDocument: false }
    hasContent = false
  }
  let lineStart = 0
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart)
    const lineEnd = newline === -1 ? text.length : newline + 1
    const line = text.slice(lineStart, newline === -1 ? text.length : newline)
    const first = line.charCodeAt(0)
    if (MARKER.test(line) && first === 0x2d) {
      if (hasContent) startNew(lineStart)
      current.hasDocument = true
      hasContent = true
    } else if (MARKER.test(line)) {
      startNew(lineEnd)
    } else if (first === 0x25) {
      // A directive after a document's content with no `...` between is an error (YAML,
      // go-yaml); it stays in that document, whose reading then reports it.
    } else if (!BLANK_OR_COMMENT.test(line)) {
      hasContent = true
      current.hasDocument = true
    }
    lineStart = lineEnd
  }
  current.end = text.length
  segments.push(current)
  return segments.filter((segment) => segment.end > segment.start)
}
