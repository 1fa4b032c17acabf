import { evalError } from '../errors.js'
import { goQuote } from '../go-format.js'
import { overload, type FunctionTable } from '../overloads.js'
import { codePointLength } from './core.js'

/**
 * The cel-go strings extension as Kubernetes enables it. Indexes count Unicode code
 * points, not UTF-16 units.
 */

type Int = number | bigint

/** Does the string hold only BMP characters (so code point and UTF-16 indexes agree)? */
function isBmp(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) return false
  }
  return true
}

function codePoints(s: string): string[] {
  return Array.from(s)
}

function toIndex(n: Int): number {
  return typeof n === 'bigint' ? Number(n) : n
}

function charAt(s: string, n: Int): string {
  const i = toIndex(n)
  const len = codePointLength(s)
  if (i < 0 || i > len) throw evalError(`index out of range: ${i}`)
  if (isBmp(s)) return s.charAt(i)
  return codePoints(s)[i] ?? ''
}

function indexOf(s: string, sub: string, from: Int = 0): number {
  const start = toIndex(from)
  if (start < 0 || start > codePointLength(s)) throw evalError(`index out of range: ${start}`)
  if (isBmp(s) && isBmp(sub)) return s.indexOf(sub, start)
  const cps = codePoints(s)
  const target = codePoints(sub)
  for (let i = start; i + target.length <= cps.length; i++) {
    if (target.every((c, j) => cps[i + j] === c)) return i
  }
  return -1
}

function lastIndexOf(s: string, sub: string, from?: Int): number {
  const len = codePointLength(s)
  const start = from === undefined ? len : toIndex(from)
  if (start < 0 || start > len) throw evalError(`index out of range: ${start}`)
  if (isBmp(s) && isBmp(sub)) return s.lastIndexOf(sub, start)
  const cps = codePoints(s)
  const target = codePoints(sub)
  for (let i = Math.min(start, cps.length - target.length); i >= 0; i--) {
    if (target.every((c, j) => cps[i + j] === c)) return i
  }
  return -1
}

function substring(s: string, from: Int, to?: Int): string {
  const len = codePointLength(s)
  const start = toIndex(from)
  const end = to === undefined ? len : toIndex(to)
  if (start < 0 || start > len) throw evalError(`index out of range: ${start}`)
  if (end < 0 || end > len) throw evalError(`index out of range: ${end}`)
  if (start > end) throw evalError(`invalid substring range. start: ${start}, end: ${end}`)
  if (isBmp(s)) return s.substring(start, end)
  return codePoints(s).slice(start, end).join('')
}

function replace(s: string, from: string, to: string, limit: Int = -1): string {
  const n = toIndex(limit)
  if (from === '') {
    // Go inserts the replacement before each code point and at the end, up to n times.
    const cps = codePoints(s)
    const max = n < 0 ? cps.length + 1 : Math.min(n, cps.length + 1)
    let out = ''
    for (let i = 0; i <= cps.length; i++) out += (i < max ? to : '') + (cps[i] ?? '')
    return out
  }
  if (n < 0) return s.split(from).join(to)
  let out = ''
  let rest = s
  for (let left = n; left > 0; left--) {
    const i = rest.indexOf(from)
    if (i < 0) break
    out += rest.slice(0, i) + to
    rest = rest.slice(i + from.length)
  }
  return out + rest
}

function split(s: string, sep: string, limit: Int = -1): string[] {
  const n = toIndex(limit)
  if (n === 0) return []
  if (n === 1) return [s]
  const all = sep === '' ? codePoints(s) : s.split(sep)
  if (n < 0 || all.length <= n) return all
  const head = all.slice(0, n - 1)
  return [...head, all.slice(n - 1).join(sep)]
}

// Unicode White_Space, as Go's strings.TrimSpace uses.
const TRIM =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g

function join(list: unknown[], sep = ''): string {
  for (const item of list) if (typeof item !== 'string') throw evalError('join: list must contain only strings')
  return (list as string[]).join(sep)
}

const ascii = (s: string, upper: boolean): string =>
  s.replace(upper ? /[a-z]+/g : /[A-Z]+/g, (m) => (upper ? m.toUpperCase() : m.toLowerCase()))

/** Strings extension function table. */
export const STRING_FUNCTIONS: FunctionTable = {
  charAt: { member: [overload(['string', 'int'], 'string', charAt)] },
  indexOf: {
    member: [
      overload(['string', 'string'], 'int', (s: string, t: string) => indexOf(s, t)),
      overload(['string', 'string', 'int'], 'int', indexOf),
    ],
  },
  lastIndexOf: {
    member: [
      overload(['string', 'string'], 'int', (s: string, t: string) => lastIndexOf(s, t)),
      overload(['string', 'string', 'int'], 'int', lastIndexOf),
    ],
  },
  lowerAscii: { member: [overload(['string'], 'string', (s: string) => ascii(s, false), { sized: true })] },
  upperAscii: { member: [overload(['string'], 'string', (s: string) => ascii(s, true), { sized: true })] },
  replace: {
    member: [
      overload(['string', 'string', 'string'], 'string', (s: string, a: string, b: string) => replace(s, a, b), {
        sized: true,
      }),
      overload(['string', 'string', 'string', 'int'], 'string', replace, { sized: true }),
    ],
  },
  split: {
    member: [
      overload(['string', 'string'], 'list', (s: string, sep: string) => split(s, sep), { sized: true }),
      overload(['string', 'string', 'int'], 'list', split, { sized: true }),
    ],
  },
  substring: {
    member: [
      overload(['string', 'int'], 'string', (s: string, a: Int) => substring(s, a)),
      overload(['string', 'int', 'int'], 'string', substring),
    ],
  },
  trim: { member: [overload(['string'], 'string', (s: string) => s.replace(TRIM, ''))] },
  join: {
    member: [
      overload(['list'], 'string', (l: unknown[]) => join(l), { sized: true }),
      overload(['list', 'string'], 'string', join, { sized: true }),
    ],
  },
  reverse: {
    member: [overload(['string'], 'string', (s: string) => codePoints(s).reverse().join(''), { sized: true })],
  },
  'strings.quote': { global: [overload(['string'], 'string', (s: string) => goQuote(s), { sized: true })] },
}
