import { evalError, type Site } from './errors.js'
import { mapGet, mapHas } from './maps.js'
import { isMap, isPlainObject, noOverload, typeOf } from './runtime-types.js'
import { CelDouble, CelOptional, CelUint, CelValue, type CelMap } from './values.js'

/**
 * Field selection, indexing and presence tests at run time. Selecting through an
 * optional value propagates it, as in cel-go: `a.?b.c` is `optional.none()` when
 * `b` or `c` is absent. A field whose value is null counts as absent for presence
 * tests (has, `.?`, `[?]`), as the API server drops null fields; so does everything
 * under a null value (`has(a.b)` is false and `a.?b` is none when `a` is null), as
 * cel-go's presence tests find nothing in a null receiver instead of failing.
 */

/** Is `key` present with a non-null value? */
export function isPresent(m: Record<string, unknown> | CelMap, key: unknown): boolean {
  if (!mapHas(m, key)) return false
  return mapGet(m, key) !== null
}

/** The error for a missing map key. */
export function noSuchKey(key: unknown, site: Site): Error {
  return evalError(`no such key: ${describeKey(key)}`).locate(site.start, site.end)
}

/** A key for an error message; never throws (keys may be maps without a prototype). */
function describeKey(key: unknown): string {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean')
    return String(key)
  if (key instanceof CelValue) return describeKey(key.toJs())
  return `<${typeOf(key)}>`
}

/** `o.key` when the fast path (a plain object holding the key) did not apply. */
export function selectSlow(o: unknown, key: string, site: Site): unknown {
  if (o instanceof CelOptional) return o.present ? presentSelect(o.value, key, site) : o
  if (isMap(o)) {
    if (mapHas(o, key)) return mapGet(o, key)
    throw noSuchKey(key, site)
  }
  throw evalError(`type '${typeOf(o)}' does not support field selection`).locate(site.start, site.end)
}

/** `o.?key`, and plain selection after an optional step. */
export function presentSelect(o: unknown, key: string, site: Site): CelOptional {
  if (isPlainObject(o)) {
    const v = Object.hasOwn(o, key) ? o[key] : undefined
    return v === undefined || v === null ? CelOptional.NONE : CelOptional.of(v)
  }
  if (o instanceof CelOptional) {
    if (!o.present) return o
    o = o.value
  }
  if (isMap(o)) return isPresent(o, key) ? CelOptional.of(mapGet(o, key)) : CelOptional.NONE
  if (o === null) return CelOptional.NONE
  throw evalError(`type '${typeOf(o)}' does not support field selection`).locate(site.start, site.end)
}

/** `has(o.key)`. */
export function hasField(o: unknown, key: string, site: Site): boolean {
  if (isPlainObject(o)) return Object.hasOwn(o, key) && o[key] !== undefined && o[key] !== null
  if (isMap(o)) return isPresent(o, key)
  if (o === null) return false
  throw evalError(`invalid type for has(): '${typeOf(o)}' does not support field selection`).locate(
    site.start,
    site.end,
  )
}

/** The list index denoted by an int, uint or integral double, or undefined. */
function listIndex(k: unknown): number | undefined {
  if (typeof k === 'number') return Number.isInteger(k) ? k : undefined
  if (typeof k === 'bigint') return Number(k)
  if (k instanceof CelUint) return Number(k.value)
  if (k instanceof CelDouble) return k.value
  return undefined
}

/** `o[k]`. */
export function indexValue(o: unknown, k: unknown, site: Site): unknown {
  if (Array.isArray(o)) {
    const i = listIndex(k)
    if (i === undefined) throw noOverload('_[_]', [o, k]).locate(site.start, site.end)
    if (i < 0 || i >= o.length)
      throw evalError(`index out of bounds: ${String(k instanceof CelValue ? k.toJs() : k)}`).locate(
        site.start,
        site.end,
      )
    return o[i]
  }
  if (o instanceof CelOptional) return o.present ? optionalIndex(o.value, k, site) : o
  if (isMap(o)) {
    if (mapHas(o, k)) return mapGet(o, k)
    throw noSuchKey(k, site)
  }
  throw noOverload('_[_]', [o, k]).locate(site.start, site.end)
}

/** `o[?k]`, and plain indexing after an optional step. */
export function optionalIndex(o: unknown, k: unknown, site: Site): CelOptional {
  if (o instanceof CelOptional) {
    if (!o.present) return o
    o = o.value
  }
  if (Array.isArray(o)) {
    const i = listIndex(k)
    if (i === undefined) throw noOverload('_[?_]', [o, k]).locate(site.start, site.end)
    return i >= 0 && i < o.length ? CelOptional.of(o[i]) : CelOptional.NONE
  }
  if (isMap(o)) return isPresent(o, k) ? CelOptional.of(mapGet(o, k)) : CelOptional.NONE
  if (o === null) return CelOptional.NONE
  throw noOverload('_[?_]', [o, k]).locate(site.start, site.end)
}

/** Is this value not a plain JSON object (a list, a CEL wrapper, ...), i.e. not eligible for the fast path? */
export function notPlain(o: object): boolean {
  return !isPlainObject(o)
}
