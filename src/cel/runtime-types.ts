import { evalError, type CelEvalError } from './errors.js'
import { CelDouble, CelMap, CelType, CelUint, CelValue } from './values.js'

const TWO_63 = 2 ** 63

/** True when a JS number is a CEL int (integral and within int64). */
export function isIntNumber(v: number): boolean {
  return Number.isInteger(v) && v >= -TWO_63 && v < TWO_63
}

/** True when the value is a CEL int. */
export function isInt(v: unknown): v is number | bigint {
  return typeof v === 'number' ? isIntNumber(v) : typeof v === 'bigint'
}

/** True when the value is a CEL double (raw non-integral number or boxed). */
export function isDouble(v: unknown): boolean {
  return typeof v === 'number' ? !isIntNumber(v) : v instanceof CelDouble
}

/**
 * True for plain JSON objects (prototype Object.prototype or null). This prototype test
 * is much cheaper than `instanceof` on hot paths and excludes arrays and CEL wrappers.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  // Globals are read directly so that the optimiser inlines the builtin.
  const p: unknown = Object.getPrototypeOf(v)
  return p === Object.prototype || p === null
}

/** True for CEL maps: plain objects (JSON data, string keys), other host objects, and CelMap. */
export function isMap(v: unknown): v is Record<string, unknown> | CelMap {
  if (isPlainObject(v)) return true
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (!(v instanceof CelValue) || v instanceof CelMap)
}

/** The CEL type name of a runtime value. */
export function typeOf(v: unknown): string {
  switch (typeof v) {
    case 'boolean':
      return 'bool'
    case 'string':
      return 'string'
    case 'number':
      return isIntNumber(v) ? 'int' : 'double'
    case 'bigint':
      return 'int'
    case 'undefined':
      return 'null_type'
    case 'object':
      if (v === null) return 'null_type'
      if (isPlainObject(v)) return 'map'
      if (Array.isArray(v)) return 'list'
      if (v instanceof CelValue) return v.celType
      return 'map'
    default:
      return 'unknown'
  }
}

/** The CEL type value of a runtime value (`type(x)`). */
export function typeValueOf(v: unknown): CelType {
  return CelType.of(typeOf(v))
}

/** Does a runtime value belong to a declared parameter type? */
export function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'dyn':
      return true
    case 'int':
      return isInt(v)
    case 'double':
      return isDouble(v)
    case 'string':
      return typeof v === 'string'
    case 'bool':
      return typeof v === 'boolean'
    case 'list':
      return Array.isArray(v)
    case 'map':
      return isMap(v)
    case 'null_type':
      return v === null || v === undefined
    case 'uint':
      return v instanceof CelUint
    default:
      return v instanceof CelValue && v.celType === t
  }
}

/** A numeric value as a JS primitive that compares exactly across int, uint and double. */
export function numericOf(v: unknown): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v
  if (v instanceof CelUint) return v.value
  if (v instanceof CelDouble) return v.value
  return undefined
}

/** Box an integral double so that it stays a double in a dyn position. */
export function boxDouble(v: number): unknown {
  return isIntNumber(v) ? new CelDouble(v) : v
}

/** Unbox a double (raw number or CelDouble) to a JS number. */
export function unboxDouble(v: unknown): number {
  return v instanceof CelDouble ? v.value : (v as number)
}

/** The int value of a CEL int as a bigint. */
export function bigOf(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v)
}

/** Error: no overload of `fn` accepts these arguments. */
export function noOverload(fn: string, args: readonly unknown[]): CelEvalError {
  return evalError(`no matching overload for '${fn}' applied to (${args.map(typeOf).join(', ')})`)
}
