import type { FastCursor } from './fast-cursor.js'
import { wideCharLength } from './fast-plain.js'

/*
 * Literal (`|`) and folded (`>`) block scalars for the fast reader: js-yaml's readBlockScalar
 * (header, where the content ends, what is an error) and getBlockValue (the text), transcribed.
 */

// Character codes and tests are local to each fast-*.ts file: see fast-cursor.ts.
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const isBlank = (code: number): boolean => code === SPACE || code === TAB

/** A run of printable ASCII characters and tabs: nothing in it ends a line or needs a check. */
const PRINTABLE_RUN = /[\t\x20-\x7e]*/y

const CLIP = 0
const STRIP = 1
const KEEP = 2

/**
 * A block scalar whose `|` or `>` is at `pos`. `parentIndent` is js-yaml's (the parent's
 * indentation plus one). Leaves the cursor on the next content line, as `endLine` does.
 */
export function readBlockScalar(c: FastCursor, parentIndent: number): string {
  const t = c.text
  const length = c.length
  const folded = t.charCodeAt(c.pos) === 0x3e
  let p = c.pos + 1
  let chomping = CLIP
  let indent = -1
  let detected = false
  for (;;) {
    const code = t.charCodeAt(p)
    if (code === 0x2b || code === 0x2d) {
      if (chomping !== CLIP) c.fail('repeated chomping indicator')
      chomping = code === 0x2b ? KEEP : STRIP
    } else if (code >= 0x31 && code <= 0x39) {
      if (detected) c.fail('repeated indentation indicator')
      indent = parentIndent + code - 0x30 - 1
      detected = true
    } else break
    p++
  }
  let blanks = false
  while (isBlank(t.charCodeAt(p))) {
    blanks = true
    p++
  }
  if (blanks && t.charCodeAt(p) === 0x23) while (p < length && t.charCodeAt(p) !== LF && t.charCodeAt(p) !== CR) p++
  const afterHeader = t.charCodeAt(p)
  if (afterHeader === LF || afterHeader === CR) p += afterHeader === CR && t.charCodeAt(p + 1) === LF ? 2 : 1
  else if (p < length) {
    c.pos = p
    c.fail('content after a block scalar header')
  }

  let contentIndent = detected ? indent : -1
  let leadingIndent = 0
  const valueStart = p
  let valueEnd = p
  while (p < length) {
    const lineStart = p
    let column = 0
    while (t.charCodeAt(lineStart + column) === SPACE) column++
    const first = t.charCodeAt(lineStart + column)
    if (lineStart + column >= length) {
      if (contentIndent >= 0 ? column > contentIndent : column > 0) valueEnd = lineStart + column
      break
    }
    if (c.isMarker(lineStart)) break
    const empty = first === LF || first === CR
    if (!detected && contentIndent === -1) {
      if (empty) leadingIndent = Math.max(leadingIndent, column)
      else if ((first === TAB && column < parentIndent) || (column >= parentIndent && column < leadingIndent)) {
        c.pos = lineStart + column
        c.fail('bad block scalar indentation')
      } else if (column < parentIndent) break
      else contentIndent = column
    }
    if (!empty && column < (contentIndent === -1 ? parentIndent + 1 : contentIndent)) {
      // A tab where the scalar's indentation is still going on: YAML and go-yaml refuse it,
      // js-yaml ends the scalar there. read-chunks.ts refuses it on the js-yaml path.
      if (first === TAB && contentIndent >= 0) {
        c.pos = lineStart + column
        c.fail('tab in a block scalar indentation')
      }
      break
    }
    // Printable ASCII and tabs in one regex step (a ConfigMap's file is most of a dense repository's bytes); the rest one by one.
    PRINTABLE_RUN.lastIndex = lineStart + column
    p = PRINTABLE_RUN.test(t) ? PRINTABLE_RUN.lastIndex : lineStart + column
    for (let code = t.charCodeAt(p); p < length && code !== LF && code !== CR; code = t.charCodeAt(p)) {
      if (code < 0x20 && code !== TAB) {
        c.pos = p
        c.fail('non-printable character')
      }
      p += code >= 0x7f ? wideCharLength(c, p) : 1
    }
    valueEnd = p
    if (p < length) {
      p += t.charCodeAt(p) === CR && t.charCodeAt(p + 1) === LF ? 2 : 1
      valueEnd = p
    }
  }
  const value = blockText(t, valueStart, valueEnd, contentIndent, chomping, folded)
  c.recorder?.block(valueStart, valueEnd, folded, chomping, contentIndent)
  c.scanLines(p)
  return value
}

/** js-yaml's getBlockValue over `text[start, end)`, without splitting it into an array. */
function blockText(t: string, start: number, end: number, indent: number, chomping: number, folded: boolean): string {
  const textIndent = indent < 0 ? 0 : indent
  let result = ''
  let readContent = false
  let emptyLines = 0
  let moreIndented = false
  let p = start
  while (p < end) {
    const lineStart = p
    let code = t.charCodeAt(p)
    while (p < end && code !== LF && code !== CR) code = t.charCodeAt(++p)
    const lineEnd = p
    if (p < end) p += code === CR && t.charCodeAt(p + 1) === LF ? 2 : 1
    let column = 0
    while (column < textIndent && t.charCodeAt(lineStart + column) === SPACE) column++
    if (indent < 0 || column >= lineEnd - lineStart) {
      emptyLines++
      continue
    }
    const first = t.charCodeAt(lineStart + textIndent)
    let breaks: number
    if (!folded) breaks = readContent ? 1 + emptyLines : emptyLines
    else if (first === SPACE || first === TAB) {
      moreIndented = true
      breaks = readContent ? 1 + emptyLines : emptyLines
    } else if (moreIndented) {
      moreIndented = false
      breaks = emptyLines + 1
    } else if (emptyLines === 0) {
      breaks = 0
      if (readContent) result += ' '
    } else breaks = emptyLines
    if (breaks > 0) result += breaks === 1 ? '\n' : '\n'.repeat(breaks)
    result += t.slice(lineStart + textIndent, lineEnd)
    readContent = true
    emptyLines = 0
  }
  if (chomping === KEEP) {
    const breaks = readContent ? 1 + emptyLines : emptyLines
    if (breaks > 0) result += '\n'.repeat(breaks)
  } else if (chomping === CLIP && readContent) result += '\n'
  return result
}
