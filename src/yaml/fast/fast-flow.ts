import type { FastCursor } from './fast-cursor.js'
import { canStartPlain, readPlain, readPlainValue } from './fast-plain.js'
import { plainKey } from './fast-plain-values.js'
import { readDoubleQuoted, readSingleQuoted } from './fast-quoted.js'

/*
 * Flow collections (`[a, b]`, `{a: 1, b: [x]}`) for the fast reader, on one line or several,
 * following js-yaml's readFlowCollection. Left to js-yaml: `?` keys, `[a: b]` pairs, keys
 * without a value, empty values, anchors, aliases and tags inside flow collections.
 */

// Character codes and tests are local to each fast-*.ts file: see fast-cursor.ts.
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const HASH = 0x23
/** Past the end, charCodeAt gives NaN, the one value not equal to itself. */
const isBlankOrEnd = (code: number): boolean =>
  code === SPACE || code === TAB || code === LF || code === CR || code !== code

/** A flow sequence or mapping whose bracket is at `pos`; `pos` is left after its closing bracket. */
export function readFlow(c: FastCursor, nodeIndent: number): unknown {
  const t = c.text
  const isMapping = t.charCodeAt(c.pos) === 0x7b
  const terminator = isMapping ? 0x7d : 0x5d
  const sequence: unknown[] = []
  const mapping: Record<string, unknown> = {}
  c.enter()
  c.nodes++
  c.recorder?.collection(isMapping, c.pos, true)
  c.pos++
  let readNext = true
  for (;;) {
    flowSpace(c, nodeIndent)
    const code = t.charCodeAt(c.pos)
    if (code === terminator) {
      c.pos++
      c.depth--
      c.recorder?.pop()
      return isMapping ? mapping : sequence
    }
    if (!readNext || code === 0x2c || c.pos >= c.length) c.fail('bad flow collection')
    if (isMapping) {
      const key = flowKey(c, nodeIndent)
      flowSpace(c, nodeIndent)
      if (t.charCodeAt(c.pos) !== 0x3a) c.fail('flow key without a value')
      c.pos++
      flowSpace(c, nodeIndent)
      const next = t.charCodeAt(c.pos)
      if (next === 0x2c || next === 0x7d) c.fail('empty flow value')
      c.setEntry(mapping, key, flowValue(c, nodeIndent))
    } else {
      sequence.push(flowValue(c, nodeIndent))
      flowSpace(c, nodeIndent)
      if (t.charCodeAt(c.pos) === 0x3a) c.fail('pair in a flow sequence')
    }
    flowSpace(c, nodeIndent)
    readNext = t.charCodeAt(c.pos) === 0x2c
    if (readNext) c.pos++
  }
}

function flowValue(c: FastCursor, nodeIndent: number): unknown {
  const t = c.text
  const code = t.charCodeAt(c.pos)
  if (code === 0x5b || code === 0x7b) return readFlow(c, nodeIndent)
  c.nodes++
  if (code === 0x22) return readDoubleQuoted(c, nodeIndent)
  if (code === 0x27) return readSingleQuoted(c, nodeIndent)
  if (!canStartPlain(code, t.charCodeAt(c.pos + 1), true)) c.fail('unsupported flow entry')
  return readPlainValue(c, nodeIndent, true)
}

function flowKey(c: FastCursor, nodeIndent: number): string {
  const t = c.text
  const code = t.charCodeAt(c.pos)
  c.nodes++
  if (code === 0x22) return readDoubleQuoted(c, nodeIndent)
  if (code === 0x27) return readSingleQuoted(c, nodeIndent)
  if (!canStartPlain(code, t.charCodeAt(c.pos + 1), true)) c.fail('unsupported flow key')
  return plainKey(c, readPlain(c, nodeIndent, true))
}

/**
 * js-yaml's skipFlowSeparationSpace: blanks, comments and line breaks; a line reached this
 * way must be indented at least `nodeIndent`. Tabs are left to js-yaml.
 */
function flowSpace(c: FastCursor, nodeIndent: number): void {
  const t = c.text
  let p = c.pos
  let separated = p === c.lineStart || isBlankOrEnd(t.charCodeAt(p - 1))
  let crossed = false
  let indent = 0
  for (;;) {
    let code = t.charCodeAt(p)
    while (code === SPACE) {
      separated = true
      code = t.charCodeAt(++p)
    }
    if (code === TAB) {
      c.pos = p
      c.fail('tab in a flow collection')
    }
    if (code === HASH && separated) while (p < c.length && (code = t.charCodeAt(p)) !== LF && code !== CR) p++
    if (code !== LF && code !== CR) break
    p += code === CR && t.charCodeAt(p + 1) === LF ? 2 : 1
    c.lineStart = p
    crossed = true
    separated = true
    indent = 0
    while (t.charCodeAt(p) === SPACE) {
      indent++
      p++
    }
  }
  c.pos = p
  if (crossed && (indent < nodeIndent || (p === c.lineStart && c.isMarker(p)))) c.fail('flow collection indentation')
}
