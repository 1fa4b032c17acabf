import {
  addInt,
  addUint,
  divInt,
  divUint,
  modInt,
  modUint,
  mulInt,
  mulUint,
  negInt,
  subInt,
  subUint,
} from './numbers.js'
import { boxDouble, isIntNumber, noOverload, typeOf, unboxDouble } from './runtime-types.js'
import {
  addDurations,
  addToTimestamp,
  CelDuration,
  CelTimestamp,
  subDurations,
  subFromTimestamp,
  timestampDifference,
} from './time-values.js'
import { CelBytes, type CelUint } from './values.js'

/** Arithmetic operators over values whose types are only known at run time. */

export type ArithOp = '+' | '-' | '*' | '/' | '%'

/** Overloads of each arithmetic operator: [left, right, result]. */
export const ARITH_OVERLOADS: Readonly<Record<ArithOp, readonly (readonly [string, string, string])[]>> = {
  '+': [
    ['int', 'int', 'int'],
    ['uint', 'uint', 'uint'],
    ['double', 'double', 'double'],
    ['string', 'string', 'string'],
    ['bytes', 'bytes', 'bytes'],
    ['list', 'list', 'list'],
    ['google.protobuf.Duration', 'google.protobuf.Duration', 'google.protobuf.Duration'],
    ['google.protobuf.Timestamp', 'google.protobuf.Duration', 'google.protobuf.Timestamp'],
    ['google.protobuf.Duration', 'google.protobuf.Timestamp', 'google.protobuf.Timestamp'],
  ],
  '-': [
    ['int', 'int', 'int'],
    ['uint', 'uint', 'uint'],
    ['double', 'double', 'double'],
    ['google.protobuf.Duration', 'google.protobuf.Duration', 'google.protobuf.Duration'],
    ['google.protobuf.Timestamp', 'google.protobuf.Timestamp', 'google.protobuf.Duration'],
    ['google.protobuf.Timestamp', 'google.protobuf.Duration', 'google.protobuf.Timestamp'],
  ],
  '*': [
    ['int', 'int', 'int'],
    ['uint', 'uint', 'uint'],
    ['double', 'double', 'double'],
  ],
  '/': [
    ['int', 'int', 'int'],
    ['uint', 'uint', 'uint'],
    ['double', 'double', 'double'],
  ],
  '%': [
    ['int', 'int', 'int'],
    ['uint', 'uint', 'uint'],
  ],
}

const INT_OPS = { '+': addInt, '-': subInt, '*': mulInt, '/': divInt, '%': modInt } as const
const UINT_OPS = { '+': addUint, '-': subUint, '*': mulUint, '/': divUint, '%': modUint } as const

/** The int implementation of an operator (operands are CEL ints). */
export function intOp(op: ArithOp): (a: number | bigint, b: number | bigint) => number | bigint {
  return INT_OPS[op]
}

/** The double implementation of an operator on raw JS numbers (IEEE semantics). */
export function doubleOp(op: ArithOp): (a: number, b: number) => number {
  switch (op) {
    case '+':
      return (a, b) => a + b
    case '-':
      return (a, b) => a - b
    case '*':
      return (a, b) => a * b
    case '/':
      return (a, b) => a / b
    case '%':
      return () => Number.NaN
  }
}

/** Apply an arithmetic operator to dyn values; the result is a dyn value (integral doubles boxed). */
export function arithDyn(op: ArithOp, a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const ai = isIntNumber(a)
    if (ai === isIntNumber(b) && (ai || op !== '%')) return ai ? INT_OPS[op](a, b) : boxDouble(doubleOp(op)(a, b))
    throw noOverload(`_${op}_`, [a, b])
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return concatLists(a, b)
  return arithSlow(op, a, b)
}

function arithSlow(op: ArithOp, a: unknown, b: unknown): unknown {
  const ta = typeOf(a)
  const tb = typeOf(b)
  if (ta === tb) {
    switch (ta) {
      case 'int':
        return INT_OPS[op](a as number | bigint, b as number | bigint)
      case 'uint':
        return UINT_OPS[op](a as CelUint, b as CelUint)
      case 'double':
        if (op !== '%') return boxDouble(doubleOp(op)(unboxDouble(a), unboxDouble(b)))
        break
      case 'bytes':
        if (op === '+') return concatBytes(a as CelBytes, b as CelBytes)
        break
      case 'list':
        if (op === '+') return concatLists(a as readonly unknown[], b as readonly unknown[])
        break
      case 'google.protobuf.Duration':
        if (op === '+') return addDurations(a as CelDuration, b as CelDuration)
        if (op === '-') return subDurations(a as CelDuration, b as CelDuration)
        break
      case 'google.protobuf.Timestamp':
        if (op === '-') return timestampDifference(a as CelTimestamp, b as CelTimestamp)
        break
    }
  } else if (a instanceof CelTimestamp && b instanceof CelDuration) {
    if (op === '+') return addToTimestamp(a, b)
    if (op === '-') return subFromTimestamp(a, b)
  } else if (op === '+' && a instanceof CelDuration && b instanceof CelTimestamp) {
    return addToTimestamp(b, a)
  }
  throw noOverload(`_${op}_`, [a, b])
}

/**
 * `a + b` on lists: a copy loop, as Array.prototype.concat costs about ten times more on the
 * short lists CEL joins. CEL lists are immutable, so a sum with an empty list is the other
 * list itself (`containers + initContainers` where a pod has no init containers copies nothing).
 */
export function concatLists(a: readonly unknown[], b: readonly unknown[]): readonly unknown[] {
  if (b.length === 0) return a
  if (a.length === 0) return b
  const n = a.length
  const out = new Array<unknown>(n + b.length)
  for (let i = 0; i < n; i++) out[i] = a[i]
  for (let i = 0; i < b.length; i++) out[n + i] = b[i]
  return out
}

/** Concatenate two byte strings. */
export function concatBytes(a: CelBytes, b: CelBytes): CelBytes {
  const out = new Uint8Array(a.bytes.length + b.bytes.length)
  out.set(a.bytes)
  out.set(b.bytes, a.bytes.length)
  return new CelBytes(out)
}

/** Unary minus on a dyn value. */
export function negateDyn(a: unknown): unknown {
  if (typeof a === 'number') return isIntNumber(a) ? negInt(a) : -a
  if (typeof a === 'bigint') return negInt(a)
  const t = typeOf(a)
  if (t === 'double') return boxDouble(-unboxDouble(a))
  throw noOverload('-_', [a])
}

/** The result type of an arithmetic operator for static operand types, or undefined when none applies. */
export function arithResultType(op: ArithOp, left: string, right: string): string | undefined {
  const candidates = ARITH_OVERLOADS[op].filter(
    ([l, r]) => (left === 'dyn' || left === l) && (right === 'dyn' || right === r),
  )
  if (candidates.length === 0) return undefined
  const first = candidates[0]?.[2] as string
  return candidates.every((c) => c[2] === first) ? first : 'dyn'
}
