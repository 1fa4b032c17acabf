import type { FastCursor } from './fast-cursor.js'
import { resolvePlainScalar } from '../go-yaml-scalars.js'

/*
 * What a plain scalar means, for the fast reader: its value as go-yaml-scalars.ts resolves it,
 * behind a cheap first-character test, and two small tables that remember the keys and short
 * values already resolved.
 *
 * The tables live between calls, on purpose: keys and short values repeat across documents
 * and files (`name`, `metadata`, `http`, `8080`), and a table per file was measured 15-20%
 * slower overall. They are invisible from outside: an entry is used only when its text
 * matches exactly, and what it holds (strings, numbers, booleans, null) cannot be changed.
 */

/** Whether go-yaml could read this plain text as anything but a string (null, bool, number). */
function mayResolve(text: string): boolean {
  const first = text.charCodeAt(0)
  if (
    (first >= 0x30 && first <= 0x39) ||
    first === 0x2b ||
    first === 0x2d ||
    first === 0x2e ||
    first === 0x7e ||
    first === 0x3c
  )
    return true
  // y Y n N t T f F o O: the bool and null spellings are at most 5 characters long.
  return text.length <= 5 && (text.length === 0 || 'yYnNtTfFoO'.includes(text.charAt(0)))
}

/** The value of a plain scalar, exactly as kubernetes-schema.ts resolves it. */
export function plainValue(c: FastCursor, text: string): unknown {
  if (!mayResolve(text)) return text
  const small = smallDecimal(text)
  if (small >= 0) return small
  // `<<` is the merge key (or a value of the merge tag): js-yaml's business.
  if (text === '<<') c.fail('merge key')
  return resolvePlainScalar(text)
}

/** A plain key as the object has it: resolved, then made a string (js-yaml's mapTag). */
export function plainKey(c: FastCursor, text: string): string {
  return mayResolve(text) ? String(plainValue(c, text)) : text
}

/** `0` or `[1-9][0-9]{0,14}`, which Go and JavaScript read alike; -1 for anything else. */
function smallDecimal(text: string): number {
  const length = text.length
  if (length === 0 || length > 15) return -1
  let value = 0
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 0x30
    if (digit < 0 || digit > 9 || (digit === 0 && i === 0 && length > 1)) return -1
    value = value * 10 + digit
  }
  return value
}

const VALUE_SLOTS = 4096
const valueTexts: (string | undefined)[] = new Array<string | undefined>(VALUE_SLOTS).fill(undefined)
const values: unknown[] = new Array<unknown>(VALUE_SLOTS).fill(null)
const KEY_SLOTS = 2048
const keyTexts: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined)
const keyNames: string[] = new Array<string>(KEY_SLOTS).fill('')

/** The value of the one-line plain scalar `c.text[start, end)`; `hash` hashes its text. */
export function lineValue(c: FastCursor, start: number, end: number, hash: number): unknown {
  const size = end - start
  // Longer values are seldom repeated, and a cached one would need a copy of its own (see `detached`).
  if (size > 12) return plainValue(c, c.text.slice(start, end))
  const slot = (hash ^ size) & (VALUE_SLOTS - 1)
  const cached = valueTexts[slot]
  if (cached !== undefined && sameText(cached, c.text, start, size)) return values[slot]
  const text = c.text.slice(start, end)
  const value = plainValue(c, text)
  valueTexts[slot] = text
  values[slot] = value
  return value
}

/** The key `c.text[start, end)` (a one-line plain scalar) as the object has it; `hash` hashes its text. */
export function lineKey(c: FastCursor, start: number, end: number, hash: number): string {
  const size = end - start
  const slot = (hash ^ size) & (KEY_SLOTS - 1)
  const cached = keyTexts[slot]
  if (cached !== undefined && sameText(cached, c.text, start, size)) return keyNames[slot]!
  if (size > 64) return plainKey(c, c.text.slice(start, end))
  const text = detached(c.text.slice(start, end))
  const name = plainKey(c, text)
  keyTexts[slot] = text
  keyNames[slot] = name
  return name
}

/**
 * The same text in a string of its own. V8 makes a slice of 13 characters or more a view into
 * the whole file, and a table entry must not keep a whole file alive; a property name is
 * stored on its own (and interned, which also speeds up its later uses as a key).
 */
function detached(text: string): string {
  return text.length < 13 ? text : Object.keys({ [text]: 0 })[0]!
}

/** `text.startsWith(cached, start)` for a cached text of `size` characters, without a builtin call. */
function sameText(cached: string, text: string, start: number, size: number): boolean {
  if (cached.length !== size) return false
  for (let i = 0; i < size; i++) if (cached.charCodeAt(i) !== text.charCodeAt(start + i)) return false
  return true
}
