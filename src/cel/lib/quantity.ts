import { evalError } from '../errors.js'
import { INT64_MAX, INT64_MIN, normInt } from '../numbers.js'
import { overload, type FunctionTable, type Overload } from '../overloads.js'
import { CelValue } from '../values.js'

/**
 * Kubernetes resource.Quantity, exactly: the value is `unscaled * 10^exp`. Like the
 * apimachinery type, a quantity is either a small int64-scaled amount (`dec: false`) or
 * an arbitrary-precision decimal rounded up to nano units (`dec: true`), and
 * isInteger()/asInteger() succeed only for the former with a non-negative scale.
 */
export class Quantity extends CelValue {
  constructor(
    readonly unscaled: bigint,
    readonly exp: number,
    readonly dec: boolean,
    readonly source?: string,
  ) {
    super()
  }
  get celType(): string {
    return 'kubernetes.Quantity'
  }
  equals(other: unknown): boolean {
    return other instanceof Quantity && compareQuantities(this, other) === 0
  }
  toJs(): unknown {
    return this.source ?? canonical(this)
  }
}

const DECIMAL: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }
const SUFFIX_CHARS = 'eEinumkKMGTP'
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

function bad(s: string): Error {
  return evalError(
    `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${s}"`,
  )
}

/** Split a quantity string as apimachinery's scanner does. */
function scan(s: string): { negative: boolean; num: string; denom: string; suffix: string } {
  let pos = 0
  let negative = false
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-'
    pos++
  }
  while (s[pos] === '0') pos++
  if (pos >= s.length) return { negative, num: '0', denom: '', suffix: '' }
  let i = pos
  while (isDigit(s[i])) i++
  const num = s.slice(pos, i) || '0'
  let denom = ''
  if (s[i] === '.') {
    const start = ++i
    while (isDigit(s[i])) i++
    denom = s.slice(start, i)
  }
  const suffixStart = i
  while (i < s.length && SUFFIX_CHARS.includes(s[i] as string)) i++
  if (s[i] === '-' || s[i] === '+') i++
  while (isDigit(s[i])) i++
  if (i < s.length) throw bad(s)
  return { negative, num, denom, suffix: s.slice(suffixStart) }
}

const CACHE_SIZE = 1024
const cache = new Map<string, Quantity>()

/** Parse a Kubernetes quantity ("500m", "1.5Gi", "1e3"); quantities are immutable, so parses are cached. */
export function parseQuantity(s: string): Quantity {
  let q = cache.get(s)
  if (q === undefined) {
    q = parse(s)
    if (cache.size >= CACHE_SIZE) cache.clear()
    cache.set(s, q)
  }
  return q
}

function parse(s: string): Quantity {
  if (s.length === 0) throw bad(s)
  if (s === '0') return new Quantity(0n, 0, false, s)
  const { negative, num, denom, suffix } = scan(s)
  let base = 10
  let exponent: number
  if (suffix in DECIMAL) exponent = DECIMAL[suffix] as number
  else if (suffix in BINARY) {
    base = 2
    exponent = BINARY[suffix] as number
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    exponent = Number(suffix.slice(1))
    if (exponent < -(2 ** 31) || exponent > 2 ** 31 - 1) throw evalError(`unable to parse quantity's suffix: "${s}"`)
  } else throw evalError(`unable to parse quantity's suffix: "${s}"`)
  if (!/^[0-9]+$/.test(num + denom)) throw bad(s)
  const digits = BigInt(num + denom)
  // The int64 fast path of apimachinery, which decides what isInteger() reports.
  let precision: number
  let mantissa = 1n
  if (base === 10) precision = 18 - (num.length + denom.length)
  else if (denom.length === 0) {
    mantissa = 1n << BigInt(exponent)
    precision = 15 - num.length - Math.trunc(Math.fround(exponent * 3) / 10) - 1
  } else precision = -1
  if (precision >= 0) {
    const scale = (base === 10 ? exponent : 0) - denom.length
    if (scale >= -9 && digits <= INT64_MAX) {
      const result = digits * mantissa
      if (result <= INT64_MAX) return new Quantity(negative ? -result : result, scale, false, s)
    }
  }
  // Arbitrary precision: exact value, rounded up to nano units, binary values capped at int64.
  let unscaled = base === 10 ? digits : digits * (1n << BigInt(exponent))
  let exp = base === 10 ? exponent - denom.length : -denom.length
  if (exp < -9 && unscaled !== 0n) {
    if (-9 - exp > digitCount(unscaled)) unscaled = 1n
    else {
      const div = pow10(-9 - exp)
      unscaled = unscaled / div + (unscaled % div === 0n ? 0n : 1n)
    }
    exp = -9
  }
  if (base === 2 && compareParts(unscaled, exp, INT64_MAX, 0) > 0) {
    unscaled = INT64_MAX
    exp = 0
  }
  return new Quantity(negative ? -unscaled : unscaled, exp, true, s)
}

const POW10: bigint[] = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i))
const pow10 = (n: number): bigint => POW10[n] ?? 10n ** BigInt(n)

const digitCount = (x: bigint): number => (x < 0n ? -x : x).toString().length

function compareParts(a: bigint, ae: number, b: bigint, be: number): number {
  if (ae !== be) {
    const sa = a > 0n ? 1 : a < 0n ? -1 : 0
    const sb = b > 0n ? 1 : b < 0n ? -1 : 0
    if (sa !== sb) return sa < sb ? -1 : 1
    if (sa === 0) return 0
    // Compare orders of magnitude first, so that exponents like 1e2147483647 never get expanded.
    const ma = digitCount(a) + ae
    const mb = digitCount(b) + be
    if (ma !== mb) return ma > mb ? sa : -sa
    if (ae > be) a *= pow10(ae - be)
    else b *= pow10(be - ae)
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/** Exact comparison: -1, 0, 1. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  return compareParts(a.unscaled, a.exp, b.unscaled, b.exp)
}

const fitsInt64 = (v: bigint): boolean => v >= INT64_MIN && v <= INT64_MAX

/** apimachinery's AsInt64: only int64-scaled amounts with a non-negative scale convert. */
function asInt64(q: Quantity): bigint | undefined {
  if (q.dec || q.exp < 0) return undefined
  if (q.unscaled === 0n) return 0n
  if (q.exp > 19) return undefined
  const v = q.unscaled * pow10(q.exp)
  return fitsInt64(v) ? v : undefined
}

function add(a: Quantity, b: Quantity): Quantity {
  if (!a.dec && !b.dec) {
    // int64Amount.Add: stays int64-scaled unless rescaling or the sum overflows.
    if (b.unscaled === 0n) return new Quantity(a.unscaled, a.exp, false)
    if (a.unscaled === 0n) return new Quantity(b.unscaled, b.exp, false)
    const e = Math.min(a.exp, b.exp)
    if (Math.max(a.exp, b.exp) - e > 40) return add(new Quantity(a.unscaled, a.exp, true), b)
    const x = a.unscaled * pow10(a.exp - e)
    const y = b.unscaled * pow10(b.exp - e)
    if (fitsInt64(x) && fitsInt64(y) && fitsInt64(x + y)) return new Quantity(x + y, e, false)
  }
  const e = Math.min(a.exp, b.exp)
  if (Math.max(a.exp, b.exp) - e > 1000) throw evalError('quantity arithmetic out of range')
  return new Quantity(a.unscaled * pow10(a.exp - e) + b.unscaled * pow10(b.exp - e), e, true)
}

const negate = (q: Quantity): Quantity => new Quantity(-q.unscaled, q.exp, q.dec)
const fromInt = (n: number | bigint): Quantity => new Quantity(BigInt(n), 0, false)

/** Canonical decimal SI rendering for computed quantities ("70k", "500m"). */
function canonical(q: Quantity): string {
  let u = q.unscaled
  let e = q.exp
  if (u === 0n) return '0'
  while (u % 10n === 0n) {
    u /= 10n
    e++
  }
  const e3 = e - (((e % 3) + 3) % 3)
  const mantissa = u * pow10(e - e3)
  const suffix = Object.entries(DECIMAL).find(([, v]) => v === e3)?.[0]
  return suffix === undefined ? `${mantissa}e${e3}` : `${mantissa}${suffix}`
}

const Q = 'kubernetes.Quantity'
const sign = (q: Quantity): number => (q.unscaled > 0n ? 1 : q.unscaled < 0n ? -1 : 0)

const signOverload: Overload = overload([Q], 'int', sign)

/** Quantity function table. */
export const QUANTITY_FUNCTIONS: FunctionTable = {
  quantity: { global: [overload(['string'], Q, parseQuantity)] },
  isQuantity: {
    global: [
      overload(['string'], 'bool', (s: string) => {
        try {
          parseQuantity(s)
          return true
        } catch {
          return false
        }
      }),
    ],
  },
  sign: { global: [signOverload], member: [signOverload] },
  isInteger: { member: [overload([Q], 'bool', (q: Quantity) => asInt64(q) !== undefined)] },
  asInteger: {
    member: [
      overload([Q], 'int', (q: Quantity) => {
        const v = asInt64(q)
        if (v === undefined) throw evalError('cannot convert value to integer')
        return normInt(v)
      }),
    ],
  },
  asApproximateFloat: { member: [overload([Q], 'double', (q: Quantity) => Number(`${q.unscaled}e${q.exp}`))] },
  add: {
    member: [
      overload([Q, Q], Q, add),
      overload([Q, 'int'], Q, (q: Quantity, n: number | bigint) => add(q, fromInt(n))),
    ],
  },
  sub: {
    member: [
      overload([Q, Q], Q, (a: Quantity, b: Quantity) => add(a, negate(b))),
      overload([Q, 'int'], Q, (q: Quantity, n: number | bigint) => add(q, negate(fromInt(n)))),
    ],
  },
  isGreaterThan: { member: [overload([Q, Q], 'bool', (a: Quantity, b: Quantity) => compareQuantities(a, b) > 0)] },
  isLessThan: { member: [overload([Q, Q], 'bool', (a: Quantity, b: Quantity) => compareQuantities(a, b) < 0)] },
  compareTo: { member: [overload([Q, Q], 'int', compareQuantities)] },
}
