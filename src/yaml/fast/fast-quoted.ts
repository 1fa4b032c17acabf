import type { FastCursor } from './fast-cursor.js'

/*
 * Quoted scalars for the fast reader, read and decoded in one pass with the rules of js-yaml's
 * readSingleQuotedScalar/readDoubleQuotedScalar (where they end, what is an error) and
 * getSingleQuotedValue/getDoubleQuotedValue (the text: escapes, line folding).
 */

// Character codes and tests are local to each fast-*.ts file: see fast-cursor.ts.
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const isBlank = (code: number): boolean => code === SPACE || code === TAB

/** Double-quoted escapes by the character after `\` (js-yaml's simpleEscapeSequence). */
const ESCAPES: readonly (string | undefined)[] = (() => {
  const table: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined)
  const pairs: [string, string][] = [
    ['0', '\0'],
    ['a', '\x07'],
    ['b', '\b'],
    ['t', '\t'],
    ['\t', '\t'],
    ['n', '\n'],
    ['v', '\v'],
    ['f', '\f'],
    ['r', '\r'],
    ['e', '\x1b'],
    [' ', ' '],
    ['"', '"'],
    ['/', '/'],
    ['\\', '\\'],
    ['N', '\x85'],
    ['_', '\xa0'],
    ['L', '\u2028'],
    ['P', '\u2029'],
  ]
  for (const [escape, text] of pairs) table[escape.charCodeAt(0)] = text
  return table
})()

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  const lower = code | 0x20
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1
}

/** js-yaml's charFromCodepoint, overflow and all (an 8-digit escape is shifted in 32-bit arithmetic). */
function fromCodePoint(code: number): string {
  if (code <= 0xffff) return String.fromCharCode(code)
  return String.fromCharCode(((code - 0x10000) >> 10) + 0xd800, ((code - 0x10000) & 1023) + 0xdc00)
}

/**
 * At a line break inside a quoted scalar: skip blanks and line breaks up to the next text.
 * The line it lands on must be indented at least `nodeIndent` (js-yaml: "deficient
 * indentation") and not be a document marker. Returns the new position; `breaks` says how many
 * line breaks were crossed.
 */
function crossLines(c: FastCursor, from: number, nodeIndent: number): number {
  const t = c.text
  let p = from
  let indent = 0
  c.breaks = 0
  for (;;) {
    const code = t.charCodeAt(p)
    if (code === LF || code === CR) {
      p += code === CR && t.charCodeAt(p + 1) === LF ? 2 : 1
      c.breaks++
      c.lineStart = p
      indent = 0
      while (t.charCodeAt(p) === SPACE) {
        indent++
        p++
      }
    } else if (isBlank(code)) p++
    else break
  }
  c.pos = p
  if (p >= c.length) c.fail('unterminated quoted scalar')
  if (indent < nodeIndent) c.fail('deficient indentation in a quoted scalar')
  if (p === c.lineStart && c.isMarker(p)) c.fail('document marker in a quoted scalar')
  return p
}

/** A double-quoted scalar at `pos`; `pos` is left after the closing quote. */
export function readDoubleQuoted(c: FastCursor, nodeIndent: number): string {
  const t = c.text
  const start = c.pos + 1
  let p = start
  for (;;) {
    const code = t.charCodeAt(p)
    if (code === 0x22) {
      c.pos = p + 1
      c.recorder?.quoted(start, p, true)
      return t.slice(start, p)
    }
    if (code === 0x5c || code < 0x20 || p >= c.length) break
    p++
  }
  let result = ''
  let captureStart = start
  let captureEnd = start
  p = start
  for (;;) {
    const code = t.charCodeAt(p)
    if (code === 0x22) {
      c.pos = p + 1
      c.recorder?.quoted(start, p, true)
      return result + t.slice(captureStart, p)
    }
    if (code === 0x5c) {
      result += t.slice(captureStart, p)
      const escape = t.charCodeAt(++p)
      const simple = escape < 128 ? ESCAPES[escape] : undefined
      if (escape === LF || escape === CR) p = crossLines(c, p, nodeIndent)
      else if (simple !== undefined) {
        result += simple
        p++
      } else {
        let digits = escape === 0x78 ? 2 : escape === 0x75 ? 4 : escape === 0x55 ? 8 : 0
        if (digits === 0) {
          c.pos = p
          c.fail('unknown escape')
        }
        let value = 0
        for (; digits > 0; digits--) {
          const digit = hexDigit(t.charCodeAt(++p))
          if (digit < 0) c.fail('bad hexadecimal escape')
          value = (value << 4) + digit
        }
        result += fromCodePoint(value)
        p++
      }
      captureStart = captureEnd = p
    } else if (code === LF || code === CR) {
      result += t.slice(captureStart, captureEnd)
      p = crossLines(c, p, nodeIndent)
      result += c.breaks === 1 ? ' ' : '\n'.repeat(c.breaks - 1)
      captureStart = captureEnd = p
    } else if ((code < 0x20 && code !== TAB) || p >= c.length) {
      c.pos = p
      c.fail('bad character in a double-quoted scalar')
    } else {
      p++
      if (code !== SPACE && code !== TAB) captureEnd = p
    }
  }
}

/** A single-quoted scalar at `pos`; `pos` is left after the closing quote. */
export function readSingleQuoted(c: FastCursor, nodeIndent: number): string {
  const t = c.text
  const start = c.pos + 1
  let result = ''
  let p = start
  let captureStart = start
  let captureEnd = start
  for (;;) {
    const code = t.charCodeAt(p)
    if (code === 0x27) {
      if (t.charCodeAt(p + 1) !== 0x27) {
        c.pos = p + 1
        c.recorder?.quoted(start, p, false)
        return result + t.slice(captureStart, p)
      }
      result += t.slice(captureStart, p) + "'"
      p += 2
      captureStart = captureEnd = p
    } else if (code === LF || code === CR) {
      result += t.slice(captureStart, captureEnd)
      p = crossLines(c, p, nodeIndent)
      result += c.breaks === 1 ? ' ' : '\n'.repeat(c.breaks - 1)
      captureStart = captureEnd = p
    } else if ((code < 0x20 && code !== TAB) || p >= c.length) {
      c.pos = p
      c.fail('bad character in a single-quoted scalar')
    } else {
      p++
      if (code !== SPACE && code !== TAB) captureEnd = p
    }
  }
}
