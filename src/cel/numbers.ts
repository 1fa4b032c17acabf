import { evalError } from './errors.js'
import { bigOf } from './runtime-types.js'
import { CelUint } from './values.js'

/** int64 and uint64 arithmetic with CEL's overflow and division errors. */

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
/** Smallest int64. */
export const INT64_MIN = -(2n ** 63n)
/** Largest int64. */
export const INT64_MAX = 2n ** 63n - 1n
/** Largest uint64. */
export const UINT64_MAX = 2n ** 64n - 1n

type Int = number | bigint

/** Normalise an exact int: a number inside the safe range, a bigint outside; error beyond int64. */
export function normInt(x: bigint): Int {
  if (x >= MIN_SAFE && x <= MAX_SAFE) return Number(x)
  if (x < INT64_MIN || x > INT64_MAX) throw evalError('integer overflow')
  return x
}

/** A uint from an exact value; error outside [0, 2^64). */
export function makeUint(x: bigint): CelUint {
  if (x < 0n || x > UINT64_MAX) throw evalError('unsigned integer overflow')
  return new CelUint(x)
}

export function addInt(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b
    if (Number.isSafeInteger(r)) return r
  }
  return normInt(bigOf(a) + bigOf(b))
}

export function subInt(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b
    if (Number.isSafeInteger(r)) return r
  }
  return normInt(bigOf(a) - bigOf(b))
}

export function mulInt(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r
  }
  return normInt(bigOf(a) * bigOf(b))
}

/** Integer division truncating toward zero. */
export function divInt(a: Int, b: Int): Int {
  if (b === 0 || b === 0n) throw evalError('division by zero')
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a)) {
    const r = (a - (a % b)) / b
    return r === 0 ? 0 : r
  }
  return normInt(bigOf(a) / bigOf(b))
}

/** Remainder with the sign of the dividend. */
export function modInt(a: Int, b: Int): Int {
  if (b === 0 || b === 0n) throw evalError('modulus by zero')
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a)) {
    const r = a % b
    return r === 0 ? 0 : r
  }
  return normInt(bigOf(a) % bigOf(b))
}

export function negInt(a: Int): Int {
  if (typeof a === 'number' && Number.isSafeInteger(a)) return a === 0 ? 0 : -a
  return normInt(-bigOf(a))
}

export function addUint(a: CelUint, b: CelUint): CelUint {
  return makeUint(a.value + b.value)
}
export function subUint(a: CelUint, b: CelUint): CelUint {
  return makeUint(a.value - b.value)
}
export function mulUint(a: CelUint, b: CelUint): CelUint {
  return makeUint(a.value * b.value)
}
export function divUint(a: CelUint, b: CelUint): CelUint {
  if (b.value === 0n) throw evalError('division by zero')
  return new CelUint(a.value / b.value)
}
export function modUint(a: CelUint, b: CelUint): CelUint {
  if (b.value === 0n) throw evalError('modulus by zero')
  return new CelUint(a.value % b.value)
}

/** An int from a JS number that must be integral (e.g. a double truncated), range-checked. */
export function intFromDouble(d: number): Int {
  if (!Number.isFinite(d)) throw evalError('integer overflow')
  const t = Math.trunc(d)
  // Doubles at or beyond 2^63 cannot be represented as int64.
  if (t >= 2 ** 63 || t < -(2 ** 63)) throw evalError('integer overflow')
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : BigInt(t)
}

/** The smallest bigint a double converts to for uint: error when negative or too large. */
export function uintFromDouble(d: number): CelUint {
  if (!Number.isFinite(d)) throw evalError('unsigned integer overflow')
  const t = Math.trunc(d)
  if (t < 0 || t >= 2 ** 64) throw evalError('unsigned integer overflow')
  return new CelUint(BigInt(t))
}

/** Parse a decimal int64 as CEL's int(string) does. */
export function parseIntString(s: string): Int {
  if (!/^[-+]?[0-9]+$/.test(s)) throw evalError(`cannot convert string '${s}' to int`)
  const x = BigInt(s)
  if (x < INT64_MIN || x > INT64_MAX) throw evalError(`cannot convert string '${s}' to int: out of range`)
  return normInt(x)
}

/** Parse a decimal uint64 as CEL's uint(string) does. */
export function parseUintString(s: string): CelUint {
  if (!/^\+?[0-9]+$/.test(s)) throw evalError(`cannot convert string '${s}' to uint`)
  const x = BigInt(s)
  if (x > UINT64_MAX) throw evalError(`cannot convert string '${s}' to uint: out of range`)
  return new CelUint(x)
}

/** Parse a double as Go's strconv.ParseFloat would for decimal input (plus inf/nan). */
export function parseDoubleString(s: string): number {
  const lower = s.toLowerCase()
  const sign = lower.startsWith('-') ? -1 : 1
  const body = lower.replace(/^[-+]/, '')
  if (body === 'inf' || body === 'infinity') return sign * Infinity
  if (body === 'nan' && s.length === 3) return NaN
  if (!/^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[-+]?[0-9]+)?$/.test(lower))
    throw evalError(`cannot convert string '${s}' to double`)
  return Number(s)
}
