/**
 * Kubernetes resource quantities ("500m", "1Gi", "2e3") as exact rationals, so that
 * "1Gi" equals "1024Mi" and "100m" equals "0.1" exactly, as apimachinery compares them.
 */
export interface Quantity {
  num: bigint
  den: bigint
}

const BINARY: Readonly<Record<string, bigint>> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
}
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const SHAPE = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(.*)$/

/** Parse a quantity; undefined when the text is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = SHAPE.exec(text.trim())
  if (!m || text.trim() === '') return undefined
  const [, sign, digits, suffix] = m as unknown as [string, string, string, string]
  const [whole, fraction = ''] = digits.split('.')
  let num = BigInt((whole || '0') + fraction)
  let den = 10n ** BigInt(fraction.length)
  if (sign === '-') num = -num
  const binary = BINARY[suffix]
  if (binary !== undefined) return reduce(num * binary, den)
  let exp: number | undefined = DECIMAL[suffix]
  if (exp === undefined) {
    const e = /^[eE]([+-]?[0-9]+)$/.exec(suffix)
    if (!e) return undefined
    exp = Number(e[1])
  }
  if (exp >= 0) num *= 10n ** BigInt(exp)
  else den *= 10n ** BigInt(-exp)
  return reduce(num, den)
}

function reduce(num: bigint, den: bigint): Quantity {
  const g = gcd(num < 0n ? -num : num, den)
  return g > 1n ? { num: num / g, den: den / g } : { num, den }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a === 0n ? 1n : a
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const l = a.num * b.den
  const r = b.num * a.den
  return l < r ? -1 : l > r ? 1 : 0
}

/** The quantity as a float (for arithmetic functions). */
export function quantityToNumber(q: Quantity): number {
  return Number(q.num) / Number(q.den)
}
