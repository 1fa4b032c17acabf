/**
 * Rego values in JavaScript. Scalars are JS scalars; arrays are JS arrays; objects with
 * only string keys are plain objects (input and data are used as they are, never copied);
 * objects with other keys are RObject; sets are RSet. Values are never mutated once built.
 */

export type Value =
  | null
  | boolean
  | number
  /** An integer literal beyond 2^53, exactly (OPA's numbers are arbitrary-precision); a number wherever computed with. */
  | bigint
  | string
  | readonly Value[]
  | RSet
  | RObject
  | { readonly [k: string]: Value }

/** A number as JavaScript computes with it (an exact big integer rounded to the nearest double). */
export const numberOf = (v: number | bigint): number => (typeof v === 'bigint' ? Number(v) : v)

/** Whether a value is a Rego number (a JS number, or an exact big integer). */
export const isNumber = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint'

/** A Rego object with at least one non-string key. */
export class RObject {
  /** canonical key -> [key, value] */
  constructor(readonly map: Map<string, [Value, Value]>) {}
}

/** A Rego set: values by canonical key. */
export class RSet {
  readonly map: Map<string, Value>
  constructor(items: Iterable<Value> = []) {
    this.map = new Map()
    for (const v of items) this.map.set(keyOf(v), v)
  }
  get size(): number {
    return this.map.size
  }
  has(v: Value): boolean {
    return this.map.has(keyOf(v))
  }
  values(): IterableIterator<Value> {
    return this.map.values()
  }
}

export type PlainObject = { readonly [k: string]: Value }

export const isArray = (v: unknown): v is readonly Value[] => Array.isArray(v)
export const isSet = (v: unknown): v is RSet => v instanceof RSet
export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RSet) && !(v instanceof RObject)
}
export const isObject = (v: unknown): v is PlainObject | RObject => isPlainObject(v) || v instanceof RObject

/** A deterministic key for a value: equal values (1 and 1.0, sets in any order) share it. */
export function keyOf(v: Value): string {
  switch (typeof v) {
    case 'string':
      return v.length > 0 && v.charCodeAt(0) < 8 ? `\u0001${v}` : v
    case 'number':
    case 'bigint':
      return `\u0002${v}`
    case 'boolean':
      return v ? '\u0003t' : '\u0003f'
    default:
      break
  }
  if (v === null) return '\u0004'
  if (isArray(v)) return `\u0005[${v.map(keyOf).join('\u0000,')}]`
  if (v instanceof RSet) return `\u0006{${[...v.map.keys()].sort().join('\u0000,')}}`
  const entries = objectEntries(v).map(([k, x]) => `${keyOf(k)}\u0000:${keyOf(x)}`)
  return `\u0007{${entries.sort().join('\u0000,')}}`
}

/** Entries of an object value. */
export function objectEntries(o: PlainObject | RObject): [Value, Value][] {
  if (o instanceof RObject) return [...o.map.values()]
  return Object.keys(o).map((k) => [k, o[k] as Value])
}

export function objectSize(o: PlainObject | RObject): number {
  return o instanceof RObject ? o.map.size : Object.keys(o).length
}

/** The value at `key` of an object, or undefined. */
export function objectGet(o: PlainObject | RObject, key: Value): Value | undefined {
  if (o instanceof RObject) return o.map.get(keyOf(key))?.[1]
  if (typeof key !== 'string') return undefined
  return Object.hasOwn(o, key) ? o[key] : undefined
}

/** Build an object from entries; later entries win. */
export function makeObject(entries: Iterable<[Value, Value]>): PlainObject | RObject {
  const list = [...entries]
  if (list.every(([k]) => typeof k === 'string')) {
    const o: Record<string, Value> = {}
    for (const [k, v] of list) {
      // `__proto__` would set the prototype instead of a key.
      if (k === '__proto__')
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
      else o[k as string] = v
    }
    return o
  }
  const m = new Map<string, [Value, Value]>()
  for (const [k, v] of list) m.set(keyOf(k), [k, v])
  return new RObject(m)
}

/** Lookup of one path element in a collection (arrays by integer index, objects by key, sets by member). */
export function indexValue(coll: Value, key: Value): Value | undefined {
  if (isArray(coll))
    return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < coll.length ? coll[key] : undefined
  if (coll instanceof RSet) return coll.has(key) ? key : undefined
  if (isObject(coll)) return objectGet(coll, key)
  return undefined
}

/** Rego equality: structural, sets and objects unordered, 1 == 1.0. */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true
  if (typeof a === 'bigint' || typeof b === 'bigint') return isNumber(a) && isNumber(b) && a == b
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (isArray(a)) return isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i] as Value))
  if (a instanceof RSet) return b instanceof RSet && a.size === b.size && [...a.map.keys()].every((k) => b.map.has(k))
  if (!isObject(b) || isArray(b)) return false
  if (objectSize(a as PlainObject) !== objectSize(b)) return false
  for (const [k, v] of objectEntries(a as PlainObject)) {
    const w = objectGet(b, k)
    if (w === undefined || !equal(v, w)) return false
  }
  return true
}

function typeRank(v: Value): number {
  if (v === null) return 0
  if (typeof v === 'boolean') return 1
  if (typeof v === 'number' || typeof v === 'bigint') return 2
  if (typeof v === 'string') return 3
  if (isArray(v)) return 4
  if (v instanceof RSet) return 6
  return 5
}

/** OPA's total order: null < booleans < numbers < strings < arrays < objects < sets. */
export function compare(a: Value, b: Value): number {
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return ra - rb
  switch (ra) {
    case 0:
      return 0
    case 1:
    case 2:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
    case 3:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1
    case 4: {
      const x = a as readonly Value[]
      const y = b as readonly Value[]
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compare(x[i] as Value, y[i] as Value)
        if (c !== 0) return c
      }
      return x.length - y.length
    }
    case 6: {
      return compare(sortedValues(a as RSet), sortedValues(b as RSet))
    }
    default: {
      const x = objectEntries(a as PlainObject).sort((p, q) => compare(p[0], q[0]))
      const y = objectEntries(b as PlainObject).sort((p, q) => compare(p[0], q[0]))
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const [xk, xv] = x[i] as [Value, Value]
        const [yk, yv] = y[i] as [Value, Value]
        const c = compare(xk, yk) || compare(xv, yv)
        if (c !== 0) return c
      }
      return x.length - y.length
    }
  }
}

export function sortedValues(s: RSet): Value[] {
  return [...s.values()].sort(compare)
}

/** OPA's type names. */
export function typeName(v: Value): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return 'boolean'
  if (typeof v === 'number' || typeof v === 'bigint') return 'number'
  if (typeof v === 'string') return 'string'
  if (isArray(v)) return 'array'
  if (v instanceof RSet) return 'set'
  return 'object'
}

/** A value as JSON-compatible JS (sets become sorted arrays, non-string keys their JSON text). */
export function toJson(v: Value): unknown {
  if (typeof v === 'bigint') return Number(v)
  if (v === null || typeof v !== 'object') return v
  if (isArray(v)) return v.map(toJson)
  if (v instanceof RSet) return sortedValues(v).map(toJson)
  const out: Record<string, unknown> = {}
  for (const [k, x] of objectEntries(v))
    Object.defineProperty(out, typeof k === 'string' ? k : JSON.stringify(toJson(k)), {
      value: toJson(x),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  return out
}

/** Parse a JS value (from JSON or YAML) as a Rego value; undefined members are dropped. */
export function fromJs(v: unknown): Value {
  if (v === undefined) return null
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (Array.isArray(v)) return v.map(fromJs)
  if (v instanceof RSet || v instanceof RObject) return v
  if (v instanceof Date) return v.toISOString()
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    let plain = true
    for (const k of Object.keys(o)) {
      const x = o[k]
      if (x === undefined || (typeof x === 'object' && x !== null && !isJsonLike(x))) {
        plain = false
        break
      }
    }
    if (plain) return o as PlainObject
    return makeObject(
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, fromJs(o[k])]),
    )
  }
  return String(v)
}

function isJsonLike(x: object): boolean {
  return Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null
}

/** OPA's text form of a value, as `sprintf("%v")` and error messages print it. */
export function show(v: Value): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v)
  if (isArray(v)) return `[${v.map(show).join(', ')}]`
  if (v instanceof RSet) return v.size === 0 ? 'set()' : `{${sortedValues(v).map(show).join(', ')}}`
  const entries = objectEntries(v).sort((p, q) => compare(p[0], q[0]))
  return `{${entries.map(([k, x]) => `${show(k)}: ${show(x)}`).join(', ')}}`
}
