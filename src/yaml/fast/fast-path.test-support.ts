import { expect } from 'vitest'
import { fastPathReport, parseManifests } from '../index.js'

/*
 * Test support for the fast reader's contract: on any text, parseManifests with the fast path
 * must give exactly what the js-yaml path gives (documents, values down to number vs string
 * and -0, key order, shared alias targets, diagnostics, and every position).
 */

/** Where two values differ (as strings), or [] when they are the same. */
export function valueDifferences(fast: unknown, slow: unknown, path = '', seen = new Map<object, unknown>()): string[] {
  if (typeof fast !== typeof slow) return [`${path}: ${typeof fast} vs ${typeof slow}`]
  if (fast === null || slow === null || typeof slow !== 'object') {
    return Object.is(fast, slow) ? [] : [`${path}: ${String(fast)} vs ${String(slow)}`]
  }
  // An alias shares its anchored value: the fast reader must share the same way.
  if (seen.has(slow)) return seen.get(slow) === fast ? [] : [`${path}: alias not shared`]
  seen.set(slow, fast)
  const left = fast as Record<string, unknown>
  const right = slow as Record<string, unknown>
  if (Array.isArray(left) !== Array.isArray(right) || Object.getPrototypeOf(left) !== Object.getPrototypeOf(right))
    return [`${path}: kind`]
  const keys = Object.keys(right)
  if (Object.keys(left).join('\u0000') !== keys.join('\u0000'))
    return [`${path}: keys ${JSON.stringify(Object.keys(left))} vs ${JSON.stringify(keys)}`]
  return keys.flatMap((key) => valueDifferences(left[key], right[key], `${path}/${key}`, seen))
}

/** Every JSON Pointer of a value (up to `limit`), plus a few that do not exist. */
export function pointersOf(value: unknown, limit = 400): string[] {
  const out = ['', '/nope', '/0/nope']
  const walk = (node: unknown, prefix: string) => {
    if (node === null || typeof node !== 'object' || out.length >= limit) return
    for (const [key, child] of Object.entries(node)) {
      const pointer = `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
      out.push(pointer, `${pointer}/missing`)
      walk(child, pointer)
    }
  }
  walk(value, '')
  return out
}

/**
 * Read `text` both ways and assert they agree. Returns whether the fast reader took it, so
 * that callers can check that a property did not pass by the fast reader always giving up.
 */
export function expectSameReading(
  text: string,
  options: { maxDepth?: number; maxAliasExpansion?: number } = {},
): boolean {
  const slow = parseManifests(text, 'f.yaml', { ...options, fastPath: false })
  const report = fastPathReport(text, options)
  if (!report.taken) return false
  const fast = parseManifests(text, 'f.yaml', options)
  const context = `${JSON.stringify(text.slice(0, 400))}`
  expect(slow.diagnostics, context).toEqual([])
  expect(fast.diagnostics, context).toEqual([])
  expect(
    fast.documents.map((d) => d.index),
    context,
  ).toEqual(slow.documents.map((d) => d.index))
  fast.documents.forEach((document, i) => {
    const reference = slow.documents[i]!
    expect(valueDifferences(document.object, reference.object), context).toEqual([])
    expect(document.span, context).toEqual(reference.span)
    for (const pointer of pointersOf(reference.object))
      expect(document.locate(pointer), `${context} ${pointer}`).toEqual(reference.locate(pointer))
  })
  return true
}
