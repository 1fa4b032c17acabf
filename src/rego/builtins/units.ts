import { BuiltinError } from '../errors.js'
import { fixed, str, type BuiltinTable } from './types.js'

const DECIMAL: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18 }
const BINARY: Record<string, number> = { ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40, pi: 2 ** 50, ei: 2 ** 60 }

function split(s: string, what: string): [number, string] {
  const clean = s.replace(/"/g, '').trim()
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)$/.exec(clean)
  if (!m) throw new BuiltinError(`${what}: could not parse amount to a number`)
  return [Number(m[1]), m[2] as string]
}

/** units.parse_bytes: "10Mi", "1.5GB", "100" (bytes; units case-insensitive, B optional). */
function parseBytes(s: string): number {
  const [n, unitRaw] = split(s, 'units.parse_bytes')
  const unit = unitRaw.toLowerCase().replace(/b$/, '')
  if (unit === '') return Math.round(n)
  const f = BINARY[unit] ?? DECIMAL[unit]
  if (f === undefined) throw new BuiltinError(`units.parse_bytes: byte size unit ${unitRaw} is not recognized`)
  return Math.round(n * f)
}

/** units.parse: SI and binary suffixes, "m" is milli and "M" mega; case matters only there. */
function parseUnits(s: string): number {
  const [n, unit] = split(s, 'units.parse')
  if (unit === '') return n
  if (unit === 'm') return n / 1000
  const lower = unit.toLowerCase()
  const f = BINARY[lower] ?? (unit === 'K' || unit === 'k' || unit.length === 1 ? DECIMAL[lower] : undefined)
  if (f === undefined) throw new BuiltinError(`units.parse: unit ${unit} is not recognized`)
  return n * f
}

interface SemVer {
  major: number
  minor: number
  patch: number
  pre: string[]
}

function parseSemver(s: string): SemVer | undefined {
  const m =
    /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.exec(
      s,
    )
  if (!m || s.startsWith('v')) return undefined
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] }
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length === 0 ? 0 : a.length === 0 ? 1 : -1
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string
    const y = b[i] as string
    if (x === y) continue
    const xn = /^\d+$/.test(x)
    const yn = /^\d+$/.test(y)
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1
    if (xn) return -1
    if (yn) return 1
    return x < y ? -1 : 1
  }
  return Math.sign(a.length - b.length)
}

export const UNITS: BuiltinTable = {
  'units.parse_bytes': fixed(1, (a) => parseBytes(str(a, 0))),
  'units.parse': fixed(1, (a) => parseUnits(str(a, 0))),
  'semver.is_valid': fixed(1, ([v]) => typeof v === 'string' && parseSemver(v) !== undefined),
  'semver.compare': fixed(2, (a) => {
    const x = parseSemver(str(a, 0))
    const y = parseSemver(str(a, 1))
    if (!x) throw new BuiltinError(`semver.compare: operand 1: string ${JSON.stringify(a[0])} is not a valid SemVer`)
    if (!y) throw new BuiltinError(`semver.compare: operand 2: string ${JSON.stringify(a[1])} is not a valid SemVer`)
    const d = x.major - y.major || x.minor - y.minor || x.patch - y.patch || comparePre(x.pre, y.pre)
    return Math.sign(d)
  }),
}
