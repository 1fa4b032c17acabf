import type { FastCursor } from './fast-cursor.js'
import { readBlockScalar } from './fast-block-scalar.js'
import { readFlow } from './fast-flow.js'
import { canStartPlain, readPlainKey, readPlainValue } from './fast-plain.js'
import { readDoubleQuoted, readSingleQuoted } from './fast-quoted.js'

/*
 * Block mappings and sequences for the fast reader. Every function starts at a content
 * character and, when it returns, has left the cursor on the next content line (`indent` set),
 * so that each collection decides from `indent` alone whether it goes on. The rules are
 * js-yaml's readBlockMapping/readBlockSequence/parseNode for the shapes real manifests use;
 * anything else gives up.
 */

// Character codes and tests are local to each fast-*.ts file: see fast-cursor.ts.
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const HASH = 0x23
const isBlank = (code: number): boolean => code === SPACE || code === TAB
/** Past the end, charCodeAt gives NaN, the one value not equal to itself. */
const isBlankOrEnd = (code: number): boolean =>
  code === SPACE || code === TAB || code === LF || code === CR || code !== code

function isSequenceEntry(c: FastCursor): boolean {
  return c.text.charCodeAt(c.pos) === 0x2d && isBlankOrEnd(c.text.charCodeAt(c.pos + 1))
}

/** The block collection whose first line starts at `pos` (its column is `indent`). */
export function readBlockCollection(c: FastCursor): unknown {
  return isSequenceEntry(c) ? readSequence(c, c.indent) : readMapping(c, c.indent)
}

function readMapping(c: FastCursor, indent: number): Record<string, unknown> {
  c.enter()
  c.nodes++
  c.recorder?.collection(true, c.pos, false)
  const mapping: Record<string, unknown> = {}
  do {
    const key = readKey(c)
    c.setEntry(mapping, key, readValue(c, indent, true))
    if (c.indent > indent) c.fail('bad indentation of a mapping entry')
  } while (c.indent === indent)
  c.depth--
  c.recorder?.pop()
  return mapping
}

function readSequence(c: FastCursor, indent: number): unknown[] {
  c.enter()
  c.nodes++
  c.recorder?.collection(false, c.pos, false)
  const sequence: unknown[] = []
  do {
    c.pos++
    sequence.push(readValue(c, indent, false))
    if (c.indent > indent) c.fail('bad indentation of a sequence entry')
    // At the same indentation, a line that is not an entry belongs to the parent mapping.
  } while (c.indent === indent && isSequenceEntry(c))
  c.depth--
  c.recorder?.pop()
  return sequence
}

/** A key at `pos`, plain or quoted on one line, then `:` and a blank; `pos` is left after the `:`. */
function readKey(c: FastCursor): string {
  const t = c.text
  const quote = t.charCodeAt(c.pos)
  if (quote !== 0x22 && quote !== 0x27) return readPlainKey(c)
  const lineStart = c.lineStart
  const key = quote === 0x22 ? readDoubleQuoted(c, 0) : readSingleQuoted(c, 0)
  if (c.lineStart !== lineStart) c.fail('multi-line key')
  let p = c.pos
  while (isBlank(t.charCodeAt(p))) p++
  c.pos = p + 1
  if (t.charCodeAt(p) !== 0x3a || !isBlankOrEnd(t.charCodeAt(p + 1))) c.fail('quoted scalar without a colon')
  c.nodes++
  return key
}

/**
 * The value after a mapping's `:` or a sequence's `-` (at `pos`) in a collection at `indent`.
 * `inMapping` allows the `key:\n- item` form (a sequence at the key's own indentation).
 */
function readValue(c: FastCursor, indent: number, inMapping: boolean): unknown {
  const t = c.text
  let p = c.pos
  let code = t.charCodeAt(p)
  let tab = false
  while (code === SPACE || code === TAB) {
    tab ||= code === TAB
    code = t.charCodeAt(++p)
  }
  c.pos = p
  if (code === LF || code === CR || code === HASH || p >= c.length) {
    c.endLine()
    return readNested(c, indent, inMapping, false)
  }
  // js-yaml remembers a tab on the line, and some values then fail (`key:\t[a]`).
  if (tab) c.fail('tab before a value')
  if (code !== 0x26) return readInline(c, indent, !inMapping)
  const name = c.readAnchorName()
  const before = c.openAnchor(name)
  p = c.pos
  while ((code = t.charCodeAt(p)) === SPACE) p++
  c.pos = p
  let value: unknown
  if (code === LF || code === CR || code === HASH || p >= c.length) {
    c.endLine()
    value = readNested(c, indent, inMapping, true)
  } else {
    // `- &a key: v` anchors the key, not the mapping: readInline gives up on it.
    // `&a *b` is an error for js-yaml (an alias takes no properties).
    if (code === 0x2a) c.fail('anchored alias')
    value = readInline(c, indent, false)
  }
  c.defineAnchor(name, value, before)
  return value
}

/**
 * A value on the lines after its key or dash: a collection, a scalar (js-yaml reads it as a
 * would-be key with no `:`), or nothing (null).
 */
function readNested(c: FastCursor, indent: number, inMapping: boolean, anchored: boolean): unknown {
  if (c.indent > indent) {
    const code = c.text.charCodeAt(c.pos)
    if (isSequenceEntry(c) || keyAhead(c)) return readBlockCollection(c)
    if (
      code === 0x5b ||
      code === 0x7b ||
      code === 0x22 ||
      code === 0x27 ||
      canStartPlain(code, c.text.charCodeAt(c.pos + 1), false)
    ) {
      return readInline(c, indent, false)
    }
    c.fail('unsupported value on its own line')
  }
  if (inMapping && c.indent === indent && isSequenceEntry(c)) return readSequence(c, indent)
  // js-yaml gives odd results for an anchored empty node (`- &a\n- b` is [[null, b]]).
  if (anchored) c.fail('anchored empty value')
  c.nodes++
  c.recorder?.empty()
  return null
}

/**
 * A value on the same line as its indicator. In a sequence (`compact`), `- key: value`
 * starts a mapping at the key's column, and `- - item` a sequence at the second dash's.
 */
function readInline(c: FastCursor, indent: number, compact: boolean): unknown {
  const t = c.text
  const code = t.charCodeAt(c.pos)
  if (compact && isSequenceEntry(c)) return readSequence(c, c.pos - c.lineStart)
  if (compact && keyAhead(c)) return readMapping(c, c.pos - c.lineStart)
  let value: unknown
  switch (code) {
    case 0x7c: // |
    case 0x3e: // >
      c.nodes++
      return readBlockScalar(c, indent + 1)
    case 0x22: // "
      c.nodes++
      value = readDoubleQuoted(c, indent + 1)
      break
    case 0x27: // '
      c.nodes++
      value = readSingleQuoted(c, indent + 1)
      break
    case 0x5b: // [
    case 0x7b: // {
      value = readFlow(c, indent + 1)
      break
    case 0x2a: // *
      value = c.readAlias()
      break
    default:
      if (!canStartPlain(code, t.charCodeAt(c.pos + 1), false)) c.fail('unsupported value')
      c.nodes++
      value = readPlainValue(c, indent + 1, false)
  }
  c.endLine()
  return value
}

/** Whether the line from `pos` is `key: ...` with a plain or quoted key (the quoted key on one line). */
function keyAhead(c: FastCursor): boolean {
  const t = c.text
  const length = c.length
  let p = c.pos
  const quote = t.charCodeAt(p)
  if (quote === 0x5b || quote === 0x7b) return false
  if (quote === 0x22 || quote === 0x27) {
    for (p++; ; p++) {
      const code = t.charCodeAt(p)
      if (code === LF || code === CR || p >= length) return false
      if (code === 0x5c && quote === 0x22) p++
      else if (code === quote) {
        if (quote === 0x27 && t.charCodeAt(p + 1) === 0x27) p++
        else break
      }
    }
    p++
    while (isBlank(t.charCodeAt(p))) p++
    return t.charCodeAt(p) === 0x3a && isBlankOrEnd(t.charCodeAt(p + 1))
  }
  for (; p < length; p++) {
    const code = t.charCodeAt(p)
    if (code === 0x3a && isBlankOrEnd(t.charCodeAt(p + 1))) return true
    if (code === LF || code === CR || (code === HASH && isBlank(t.charCodeAt(p - 1)))) return false
  }
  return false
}
