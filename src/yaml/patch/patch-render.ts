import { resolvePlainScalar } from '../go-yaml-scalars.js'

/*
 * YAML text for values inserted by a patch. Strings stay plain only when kubectl would read
 * them back as the same string (so `yes`, `0644`, `on` and `1.0` get quoted); everything
 * else uses JSON syntax, which is valid YAML and reads back identically.
 */

/** How a new block collection is laid out: `seqIndent` is 0 for `key:\n- item`, 2 for `key:\n  - item`. */
export interface Layout {
  seqIndent: number
  eol: string
}

// A leading `-` is fine when a non-space follows (`--port`), except for a `---` marker.
const INDICATOR_FIRST = /^(?:[?:,[\]{}#&*!|>'"%@`<=~\s]|-(?:[\s,[\]{}]|$|--))/
const FLOW_UNSAFE = /[,[\]{}]/
const CONTROL_OR_BREAK = /[\p{Cc}\u2028\u2029\ufeff]/u

function isPlainSafe(text: string, inFlow: boolean): boolean {
  return (
    text.length > 0 &&
    !INDICATOR_FIRST.test(text) &&
    !/\s$/.test(text) &&
    !text.endsWith(':') &&
    !text.includes(': ') &&
    !text.includes(' #') &&
    !CONTROL_OR_BREAK.test(text) &&
    !(inFlow && FLOW_UNSAFE.test(text)) &&
    resolvePlainScalar(text) === text
  )
}

/** A scalar (or a mapping key) as YAML text. */
export function scalarText(value: unknown, inFlow: boolean): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan'
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf'
    return Object.is(value, -0) ? '-0.0' : String(value)
  }
  const text = String(value)
  return isPlainSafe(text, inFlow) ? text : JSON.stringify(text)
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object'
}

/** True when the value is written on the line of its key or dash (scalars, empty collections). */
export function isInline(value: unknown): boolean {
  return !isCollection(value) || (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)
}

/** Flow-style text: `[a, b]`, `{k: v}`, or a scalar. */
export function inlineText(value: unknown, inFlow: boolean): string {
  if (Array.isArray(value)) return `[${value.map((item) => inlineText(item, true)).join(', ')}]`
  if (isCollection(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${scalarText(key, true)}: ${inlineText(item, true)}`)
      .join(', ')}}`
  }
  return scalarText(value, inFlow)
}

/** Block-style lines of a non-empty collection, unindented. */
export function blockLines(value: unknown, layout: Layout): string[] {
  const lines: string[] = []
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isInline(item)) lines.push(`- ${inlineText(item, false)}`)
      else blockLines(item, layout).forEach((line, i) => lines.push((i === 0 ? '- ' : '  ') + line))
    }
    return lines
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const keyText = scalarText(key, false)
    if (isInline(item)) lines.push(`${keyText}: ${inlineText(item, false)}`)
    else {
      lines.push(`${keyText}:`)
      const indent = ' '.repeat(Array.isArray(item) ? layout.seqIndent : 2)
      for (const line of blockLines(item, layout)) lines.push(indent + line)
    }
  }
  return lines
}

/** Lines joined with the file's line ending; every line after the first gets `indent` spaces. */
export function joinIndented(lines: readonly string[], indent: number, layout: Layout): string {
  const pad = ' '.repeat(indent)
  return lines.map((line, i) => (i === 0 ? line : pad + line)).join(layout.eol)
}

/** `key: value` or `key:` + block lines, as the lines of one mapping entry (unindented). */
export function pairLines(key: string, value: unknown, layout: Layout): string[] {
  const keyText = scalarText(key, false)
  if (isInline(value)) return [`${keyText}: ${inlineText(value, false)}`]
  const indent = ' '.repeat(Array.isArray(value) ? layout.seqIndent : 2)
  return [`${keyText}:`, ...blockLines(value, layout).map((line) => indent + line)]
}

/** `- item` lines of one sequence item (unindented). */
export function itemLines(value: unknown, layout: Layout): string[] {
  if (isInline(value)) return [`- ${inlineText(value, false)}`]
  return blockLines(value, layout).map((line, i) => (i === 0 ? '- ' : '  ') + line)
}
