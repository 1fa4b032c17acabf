import { mapGet, mapHas, mapKeys, mapSize } from './maps.js'
import { isMap, noOverload, numericOf } from './runtime-types.js'
import { CelBytes, CelDouble, CelMap, CelUint, CelValue } from './values.js'

/**
 * CEL equality as in current cel-go: heterogeneous (values of different types are
 * unequal, not an error), with numbers compared by value across int, uint and double.
 */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  switch (typeof a) {
    case 'number':
    case 'bigint':
      return numericEquals(a, b)
    case 'undefined':
      return b === null
    case 'object':
      if (a === null) return b === undefined
      if (Array.isArray(a)) return Array.isArray(b) && listEquals(a, b)
      if (a instanceof CelDouble || a instanceof CelUint) return numericEquals(a.value, b)
      if (a instanceof CelValue && !(a instanceof CelMap)) return a.equals(b, celEquals)
      return isMap(b) && mapEquals(a as Record<string, unknown> | CelMap, b)
    default:
      return false
  }
}

function numericEquals(x: number | bigint, b: unknown): boolean {
  const y = numericOf(b)
  // Loose equality compares number and bigint by mathematical value.
  return y !== undefined && x == y
}

function listEquals(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!celEquals(a[i], b[i])) return false
  return true
}

function mapEquals(a: Record<string, unknown> | CelMap, b: Record<string, unknown> | CelMap): boolean {
  if (mapSize(a) !== mapSize(b)) return false
  for (const key of mapKeys(a)) {
    if (!mapHas(b, key) || !celEquals(mapGet(a, key), mapGet(b, key))) return false
  }
  return true
}

/** Compare strings by Unicode code point, as CEL (and Go's byte order on UTF-8) does. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // UTF-16 order differs from code point order only when a surrogate meets U+E000..U+FFFF.
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    if (sx !== sy) return sx ? 1 : -1
    return x < y ? -1 : 1
  }
  return a.length < b.length ? -1 : 1
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a[i] as number
    const y = b[i] as number
    if (x !== y) return x < y ? -1 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

/**
 * Order two values for `<`, `<=`, `>`, `>=`: -1, 0, 1, or NaN when a double NaN is
 * involved (every comparison is then false). Throws when the types are not comparable.
 */
export function compareValues(a: unknown, b: unknown, op: string): number {
  if (typeof a === 'string') {
    if (typeof b === 'string') return compareStrings(a, b)
  } else if (typeof a === 'boolean') {
    if (typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1
  } else {
    const x = numericOf(a)
    if (x !== undefined) {
      const y = numericOf(b)
      if (y !== undefined) return x < y ? -1 : x > y ? 1 : x == y ? 0 : NaN
    } else if (a instanceof CelBytes) {
      if (b instanceof CelBytes) return compareBytes(a.bytes, b.bytes)
    } else if (a instanceof CelValue) {
      const c = a.compareTo(b)
      if (c !== undefined) return c
    }
  }
  throw noOverload(op, [a, b])
}
