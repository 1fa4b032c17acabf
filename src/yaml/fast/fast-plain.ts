import type { FastCursor } from './fast-cursor.js'
import { lineKey, lineValue, plainValue } from './fast-plain-values.js'

/*
 * Plain scalars for the fast reader: where they end (js-yaml's readPlainScalar) and their
 * text (its getPlainValue); fast-plain-values.ts says what they mean.
 */

// Character codes and tests are local to each fast-*.ts file: see fast-cursor.ts.
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const isBlank = (code: number): boolean => code === SPACE || code === TAB
/** Past the end, charCodeAt gives NaN, the one value not equal to itself. */
const isBlankOrEnd = (code: number): boolean =>
  code === SPACE || code === TAB || code === LF || code === CR || code !== code
const isFlowIndicator = (code: number): boolean =>
  code === 0x2c || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d

/** js-yaml's canStartPlainScalar; a `:` start is also refused before a blank (js-yaml then reads nothing). */
export function canStartPlain(code: number, next: number, inFlow: boolean): boolean {
  switch (code) {
    case 0x23: // #
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x27: // '
    case 0x22: // "
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
      return false
    case 0x3f: // ?
    case 0x3a: // :
    case 0x2d: // -
      return !isBlankOrEnd(next) && !(inFlow && isFlowIndicator(next))
    default:
      return !isBlankOrEnd(code) && !isFlowIndicator(code)
  }
}

/**
 * Check a character at or above 0x7F that js-yaml's non-printable pattern refuses in plain and
 * block scalars; returns how many code units it takes (2 for a surrogate pair).
 */
export function wideCharLength(c: FastCursor, p: number): number {
  const code = c.text.charCodeAt(p)
  if (code <= 0x9f) {
    if (code !== 0x85) c.fail('non-printable character')
    return 1
  }
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = c.text.charCodeAt(p + 1)
    if (low >= 0xdc00 && low <= 0xdfff) return 2
    c.fail('lone surrogate')
  }
  if ((code >= 0xdc00 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) c.fail('non-printable character')
  return 1
}

/** The value of the plain scalar at `pos` (see `readPlain`). */
export function readPlainValue(c: FastCursor, nodeIndent: number, inFlow: boolean): unknown {
  const t = c.text
  const start = c.pos
  const end = scanPlain(c, nodeIndent, inFlow)
  return c.multiline ? plainValue(c, foldPlain(t, start, end)) : lineValue(c, start, end, c.hash)
}

/** The text of the plain scalar at `pos` (see `scanPlain`). */
export function readPlain(c: FastCursor, nodeIndent: number, inFlow: boolean): string {
  const start = c.pos
  const end = scanPlain(c, nodeIndent, inFlow)
  return c.multiline ? foldPlain(c.text, start, end) : c.text.slice(start, end)
}

/**
 * Delimit a plain scalar at `pos` as js-yaml's readPlainScalar does: it may go on over lines
 * indented at least `nodeIndent`. Returns where its text ends; `pos` is left where js-yaml
 * leaves it, `multiline` says whether it crossed a line, and `hash` hashes its first line.
 */
function scanPlain(c: FastCursor, nodeIndent: number, inFlow: boolean): number {
  const t = c.text
  const length = c.length
  const start = c.pos
  let p = start
  let end = start
  let lineStart = c.lineStart
  let multiline = false
  let hash = 0
  let endHash = 0
  while (p < length) {
    const code = t.charCodeAt(p)
    // Most characters (letters among them) end nothing: `;` to `~`, but brackets in flow.
    if (code > 0x3a && code < 0x7f && !(inFlow && isFlowIndicator(code))) {
      hash = (Math.imul(hash, 31) + code) | 0
      end = ++p
      endHash = hash
      continue
    }
    if (p === lineStart && c.isMarker(p)) break
    if (code === 0x3a) {
      const next = t.charCodeAt(p + 1)
      if (isBlankOrEnd(next) || (inFlow && isFlowIndicator(next))) break
    } else if (code === 0x23) {
      if (isBlankOrEnd(t.charCodeAt(p - 1))) break
    } else if (inFlow && isFlowIndicator(code)) {
      break
    } else if (code === LF || code === CR) {
      // Go on over the line break when the next non-blank line is indented enough
      // (js-yaml's skipSeparationSpace without comments, then its lineIndent test).
      let q = p
      let indent = 0
      let nextStart = lineStart
      for (;;) {
        const here = t.charCodeAt(q)
        if (here === LF || here === CR) {
          q += here === CR && t.charCodeAt(q + 1) === LF ? 2 : 1
          nextStart = q
          indent = 0
          while (t.charCodeAt(q) === SPACE) {
            indent++
            q++
          }
        } else if (isBlank(here)) q++
        else break
      }
      if (q >= length) break
      if (indent < nodeIndent) {
        // The line scan after this value will land where this one did: let it skip the work.
        c.lookedAhead(p, q, nextStart, indent)
        break
      }
      multiline = true
      p = q
      lineStart = nextStart
      continue
    } else if (code < 0x20 && code !== TAB) {
      c.pos = p
      c.fail('non-printable character')
    } else if (code >= 0x7f) {
      p += wideCharLength(c, p)
      end = p
      continue
    }
    hash = (Math.imul(hash, 31) + code) | 0
    if (code !== SPACE && code !== TAB) {
      end = p + 1
      endHash = hash
    }
    p++
  }
  if (end === start) c.fail('empty plain scalar')
  c.pos = p
  c.lineStart = lineStart
  c.multiline = multiline
  c.hash = endHash
  c.recorder?.plain(start, end, !multiline)
  return end
}

/** js-yaml's getPlainValue: lines trimmed, one line break becomes a space, n breaks n-1 newlines. */
function foldPlain(t: string, start: number, end: number): string {
  let result = ''
  let p = start
  let captureStart = start
  let captureEnd = start
  while (p < end) {
    const code = t.charCodeAt(p)
    if (code === LF || code === CR) {
      result += t.slice(captureStart, captureEnd)
      let breaks = 0
      while (p < end) {
        const here = t.charCodeAt(p)
        if (here === LF || here === CR) {
          breaks++
          p += here === CR && t.charCodeAt(p + 1) === LF ? 2 : 1
        } else if (isBlank(here)) p++
        else break
      }
      result += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)
      captureStart = captureEnd = p
    } else {
      p++
      if (!isBlank(code)) captureEnd = p
    }
  }
  return result + t.slice(captureStart, captureEnd)
}

/**
 * A plain key of a block mapping at `pos`: one line, ended by `:` and a blank or line break.
 * Returns the key as the object has it; `pos` is left after the `:`.
 */
export function readPlainKey(c: FastCursor): string {
  const t = c.text
  const start = c.pos
  if (!canStartPlain(t.charCodeAt(start), t.charCodeAt(start + 1), false)) c.fail('not a plain key')
  let p = start
  let end = start
  let hash = 0
  let endHash = 0
  for (;;) {
    const code = t.charCodeAt(p)
    if (code > 0x3a && code < 0x7f) {
      hash = (Math.imul(hash, 31) + code) | 0
      end = ++p
      endHash = hash
      continue
    }
    if (code === 0x3a) {
      if (isBlankOrEnd(t.charCodeAt(p + 1))) break
    } else if (code === LF || code === CR || p >= c.length) {
      c.pos = p
      c.fail('a line without a key')
    } else if (code === 0x23) {
      if (isBlank(t.charCodeAt(p - 1))) c.fail('a line without a key')
    } else if (code < 0x20 && code !== TAB) {
      c.pos = p
      c.fail('non-printable character')
    } else if (code >= 0x7f) {
      p += wideCharLength(c, p)
      end = p
      continue
    }
    hash = (Math.imul(hash, 31) + code) | 0
    if (code !== SPACE && code !== TAB) {
      end = p + 1
      endHash = hash
    }
    p++
  }
  c.pos = p + 1
  c.nodes++
  c.recorder?.plain(start, end, true)
  return lineKey(c, start, end, endHash)
}
