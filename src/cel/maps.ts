import { isPlainObject } from './runtime-types.js'
import { CelMap } from './values.js'

/** Uniform access to the two map representations: plain objects (string keys) and CelMap. */

/** Value under `key`, or undefined when absent. */
export function mapGet(m: Record<string, unknown> | CelMap, key: unknown): unknown {
  if (!isPlainObject(m) && m instanceof CelMap) return m.get(key)
  if (typeof key !== 'string' || !Object.hasOwn(m, key)) return undefined
  return (m as Record<string, unknown>)[key]
}

/** Is `key` present? */
export function mapHas(m: Record<string, unknown> | CelMap, key: unknown): boolean {
  if (!isPlainObject(m) && m instanceof CelMap) return m.has(key)
  return typeof key === 'string' && Object.hasOwn(m, key) && (m as Record<string, unknown>)[key] !== undefined
}

/** The keys, in iteration order. */
export function mapKeys(m: Record<string, unknown> | CelMap): unknown[] {
  return m instanceof CelMap ? m.keys() : Object.keys(m)
}

/** Number of entries. */
export function mapSize(m: Record<string, unknown> | CelMap): number {
  return m instanceof CelMap ? m.size : Object.keys(m).length
}

/** Names that plain objects inherit from Object.prototype: selecting them needs an own-property check. */
export const INHERITED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype))

/** A new empty map with string keys (no prototype, so any key is safe). */
export function emptyObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>
}
