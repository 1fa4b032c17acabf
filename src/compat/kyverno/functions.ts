import type { TreeInterpreter } from '@jmespath-community/jmespath'
import { RE2JS } from 're2js'
import { isRecord } from '../../core/index.js'
import { parseManifests } from '../../yaml/index.js'
import { formatDuration, parseDuration } from './duration.js'
import { CompatError, unsupported } from '../shared/errors.js'
import { compareSemver, parseSemver } from './operators.js'
import { parseQuantity, quantityToNumber } from './quantity.js'
import { ANY, ARRAY, NUMBER, OBJECT, sig, STRING, type Fn } from './function-signature.js'
import { registerTimeFunctions } from './time-functions.js'
import { wildcardMatch } from '../shared/wildcard.js'

type Runtime = (typeof TreeInterpreter)['runtime']

const regexCache = new Map<string, RE2JS>()
function regex(pattern: string, fn: string): RE2JS {
  let re = regexCache.get(pattern)
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern)
    } catch (error) {
      throw new CompatError(
        'POLICY_INVALID',
        `JMESPath function '${fn}': invalid regular expression "${pattern}": ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    regexCache.set(pattern, re)
  }
  return re
}

/** Go's %v of a number or string argument (for regex functions). */
function asText(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.fround(v))
  return String(v)
}

/** Numbers, quantities and durations for Kyverno's arithmetic functions. */
type Operand =
  | { kind: 'number'; value: number }
  | { kind: 'quantity'; value: number; text: string }
  | { kind: 'duration'; value: number }
function operand(v: unknown, fn: string): Operand {
  if (typeof v === 'number') return { kind: 'number', value: v }
  if (typeof v === 'string') {
    const d = /[a-zµ]/.test(v) && !/[KMGTPE]i?$|[kmunKMGTPE]$/.test(v) ? parseDuration(v) : undefined
    if (d !== undefined) return { kind: 'duration', value: d }
    const q = parseQuantity(v)
    if (q !== undefined) return { kind: 'quantity', value: quantityToNumber(q), text: v }
    const d2 = parseDuration(v)
    if (d2 !== undefined) return { kind: 'duration', value: d2 }
  }
  throw new CompatError(
    'POLICY_INVALID',
    `JMESPath function '${fn}': argument ${JSON.stringify(v)} is not a number, quantity or duration`,
  )
}

function formatQuantity(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(9)))
}

function arithmetic(fn: string, a: unknown, b: unknown, op: (x: number, y: number) => number): unknown {
  const x = operand(a, fn)
  const y = operand(b, fn)
  if (x.kind === 'number' && y.kind === 'number') return op(x.value, y.value)
  if (x.kind === 'duration' && (y.kind === 'duration' || y.kind === 'number')) {
    if (fn === 'divide' && y.kind === 'duration') return x.value / y.value
    return formatDuration(
      op(x.value, y.kind === 'number' && (fn === 'add' || fn === 'subtract') ? y.value * 1e9 : y.value),
    )
  }
  if (x.kind === 'quantity' || y.kind === 'quantity') {
    if (fn === 'divide' && x.kind === 'quantity' && y.kind === 'quantity') return x.value / y.value
    return formatQuantity(op(x.value, y.value))
  }
  throw new CompatError('POLICY_INVALID', `JMESPath function '${fn}': cannot combine ${x.kind} and ${y.kind}`)
}

function goSplit(s: string, sep: string): string[] {
  if (sep === '') return [...s]
  return s.split(sep)
}

function base64Decode(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0)
    throw new CompatError('POLICY_INVALID', "JMESPath function 'base64_decode': illegal base64 data")
  return Buffer.from(s, 'base64').toString('utf8')
}

/** Register Kyverno's custom JMESPath functions on an interpreter's runtime. */
export function registerKyvernoFunctions(runtime: Runtime, now: () => Date): void {
  const add = (name: string, fn: Fn, signature: { types: number[] }[]): void => {
    runtime.registerFunction(name, fn as never, signature as never, { override: true })
  }
  add('compare', ([a, b]: string[]) => (a === b ? 0 : (a as string) < (b as string) ? -1 : 1), sig([STRING], [STRING]))
  add(
    'equal_fold',
    ([a, b]: string[]) => (a as string).toLowerCase() === (b as string).toLowerCase(),
    sig([STRING], [STRING]),
  )
  add(
    'replace',
    ([s, from, to, n]: [string, string, string, number]) => {
      if (n < 0) return from === '' ? s : s.split(from).join(to)
      let out = s
      let count = 0
      let at = 0
      while (count < n) {
        const i = out.indexOf(from, at)
        if (i < 0) break
        out = out.slice(0, i) + to + out.slice(i + from.length)
        at = i + to.length
        count++
      }
      return out
    },
    sig([STRING], [STRING], [STRING], [NUMBER]),
  )
  add(
    'replace_all',
    ([s, from, to]: string[]) => (from === '' ? s : (s as string).split(from as string).join(to)),
    sig([STRING], [STRING], [STRING]),
  )
  add('to_upper', ([s]: string[]) => (s as string).toUpperCase(), sig([STRING]))
  add('to_lower', ([s]: string[]) => (s as string).toLowerCase(), sig([STRING]))
  add(
    'trim',
    ([s, cut]: string[]) => {
      const set = new Set(cut as string)
      const chars = [...(s as string)]
      let a = 0
      let b = chars.length
      while (a < b && set.has(chars[a] as string)) a++
      while (b > a && set.has(chars[b - 1] as string)) b--
      return chars.slice(a, b).join('')
    },
    sig([STRING], [STRING]),
  )
  add(
    'trim_prefix',
    ([s, p]: string[]) => ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s),
    sig([STRING], [STRING]),
  )
  add('split', ([s, sep]: string[]) => goSplit(s as string, sep as string), sig([STRING], [STRING]))
  add(
    'regex_replace_all',
    ([re, src, repl]: unknown[]) =>
      regex(String(re), 'regex_replace_all').matcher(asText(src)).replaceAll(asText(repl)),
    sig([STRING], [STRING, NUMBER], [STRING, NUMBER]),
  )
  add(
    'regex_replace_all_literal',
    ([re, src, repl]: unknown[]) =>
      regex(String(re), 'regex_replace_all_literal')
        .matcher(asText(src))
        .replaceAll(RE2JS.quoteReplacement ? RE2JS.quoteReplacement(asText(repl)) : asText(repl).replace(/\$/g, '\\$')),
    sig([STRING], [STRING, NUMBER], [STRING, NUMBER]),
  )
  add(
    'regex_match',
    ([re, src]: unknown[]) => regex(String(re), 'regex_match').test(asText(src)),
    sig([STRING], [STRING, NUMBER]),
  )
  add('pattern_match', ([p, src]: unknown[]) => wildcardMatch(String(p), asText(src)), sig([STRING], [STRING, NUMBER]))
  add(
    'label_match',
    ([sel, labels]: Record<string, unknown>[]) =>
      Object.entries(sel as Record<string, unknown>).every(
        ([k, v]) => Object.hasOwn(labels as object, k) && (labels as Record<string, unknown>)[k] === v,
      ),
    sig([OBJECT], [OBJECT]),
  )
  add(
    'to_boolean',
    ([s]: string[]) => {
      const l = (s as string).toLowerCase()
      if (l === 'true') return true
      if (l === 'false') return false
      throw new CompatError(
        'POLICY_INVALID',
        `JMESPath function 'to_boolean': lowercase argument must be 'true' or 'false' (provided: '${s}')`,
      )
    },
    sig([STRING]),
  )
  add('add', ([a, b]: unknown[]) => arithmetic('add', a, b, (x, y) => x + y), sig([ANY], [ANY]))
  add('subtract', ([a, b]: unknown[]) => arithmetic('subtract', a, b, (x, y) => x - y), sig([ANY], [ANY]))
  add('multiply', ([a, b]: unknown[]) => arithmetic('multiply', a, b, (x, y) => x * y), sig([ANY], [ANY]))
  add(
    'divide',
    ([a, b]: unknown[]) => {
      if (operand(b, 'divide').value === 0)
        throw new CompatError('POLICY_INVALID', "JMESPath function 'divide': Zero divisor passed")
      return arithmetic('divide', a, b, (x, y) => x / y)
    },
    sig([ANY], [ANY]),
  )
  add(
    'modulo',
    ([a, b]: unknown[]) => {
      const x = operand(a, 'modulo').value
      const y = operand(b, 'modulo').value
      if (!Number.isInteger(x) || !Number.isInteger(y))
        throw new CompatError('POLICY_INVALID', "JMESPath function 'modulo': Non-integer argument(s) passed for modulo")
      if (y === 0) throw new CompatError('POLICY_INVALID', "JMESPath function 'modulo': Zero divisor passed")
      return arithmetic('modulo', a, b, (p, q) => p % q)
    },
    sig([ANY], [ANY]),
  )
  add(
    'sum',
    ([list]: unknown[][]) => {
      const items = list as unknown[]
      if (items.length === 0)
        throw new CompatError(
          'POLICY_INVALID',
          "JMESPath function 'sum': at least one element in the array is required",
        )
      return items.slice(1).reduce((acc, v) => arithmetic('sum', acc, v, (x, y) => x + y), items[0])
    },
    sig([ARRAY]),
  )
  add(
    'round',
    ([v, digits]: number[]) => {
      const f = 10 ** (digits as number)
      return Math.round((v as number) * f) / f
    },
    sig([NUMBER], [NUMBER]),
  )
  add('base64_decode', ([s]: string[]) => base64Decode(s as string), sig([STRING]))
  add('base64_encode', ([s]: string[]) => Buffer.from(s as string, 'utf8').toString('base64'), sig([STRING]))
  add('path_canonicalize', ([p]: string[]) => canonicalPath(p as string), sig([STRING]))
  add(
    'truncate',
    ([s, n]: [string, number]) => {
      if (n < 0)
        throw new CompatError('POLICY_INVALID', "JMESPath function 'truncate': length argument must be non-negative")
      return [...s].slice(0, Math.floor(n)).join('')
    },
    sig([STRING], [NUMBER]),
  )
  add(
    'semver_compare',
    ([v, range]: string[]) => semverSatisfies(v as string, range as string),
    sig([STRING], [STRING]),
  )
  add(
    'parse_json',
    ([s]: string[]) => {
      try {
        return JSON.parse(s as string) as unknown
      } catch (error) {
        throw new CompatError(
          'POLICY_INVALID',
          `JMESPath function 'parse_json': ${error instanceof Error ? error.message : String(error)}`,
        )
      }
    },
    sig([STRING]),
  )
  add(
    'parse_yaml',
    ([s]: string[]) => {
      const parsed = parseManifests(s as string, '<parse_yaml>')
      if (parsed.diagnostics.length > 0)
        throw new CompatError(
          'POLICY_INVALID',
          `JMESPath function 'parse_yaml': ${parsed.diagnostics[0]?.message ?? 'invalid YAML'}`,
        )
      return parsed.documents[0]?.object ?? null
    },
    sig([STRING]),
  )
  add(
    'lookup',
    ([coll, key]: unknown[]) => {
      if (Array.isArray(coll)) {
        if (typeof key !== 'number' || !Number.isInteger(key))
          throw new CompatError('POLICY_INVALID', "JMESPath function 'lookup': an array is indexed by an integer")
        return key >= 0 && key < coll.length ? coll[key] : null
      }
      if (typeof key !== 'string')
        throw new CompatError('POLICY_INVALID', "JMESPath function 'lookup': an object is indexed by a string")
      return isRecord(coll) && Object.hasOwn(coll, key) ? coll[key] : null
    },
    sig([OBJECT, ARRAY], [STRING, NUMBER]),
  )
  add(
    'items',
    ([coll, k, v]: unknown[]) => {
      if (Array.isArray(coll)) return coll.map((value, i) => ({ [k as string]: i, [v as string]: value }))
      const obj = coll as Record<string, unknown>
      return Object.keys(obj)
        .sort()
        .map((key) => ({ [k as string]: key, [v as string]: obj[key] }))
    },
    sig([OBJECT, ARRAY], [STRING], [STRING]),
  )
  add(
    'object_from_lists',
    ([keys, values]: unknown[][]) => {
      const out: Record<string, unknown> = {}
      ;(keys as unknown[]).forEach((key, i) => {
        if (typeof key === 'string') out[key] = i < (values as unknown[]).length ? (values as unknown[])[i] : null
      })
      return out
    },
    sig([ARRAY], [ARRAY]),
  )
  add(
    'random',
    () => {
      throw unsupported('JMESPath function random()', 'non-deterministic')
    },
    sig([STRING]),
  )
  add(
    'x509_decode',
    () => {
      throw unsupported('JMESPath function x509_decode()')
    },
    sig([STRING]),
  )
  add('image_normalize', ([image]: string[]) => normalizeImage(image as string), sig([STRING]))
  registerTimeFunctions(add, now)
}

function canonicalPath(p: string): string {
  const abs = p.startsWith('/')
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop()
      else if (!abs) out.push('..')
      continue
    }
    out.push(part)
  }
  const joined = out.join('/')
  return abs ? `/${joined}` : joined || '.'
}

function semverSatisfies(version: string, range: string): boolean {
  const v = parseSemver(version)
  if (!v)
    throw new CompatError(
      'POLICY_INVALID',
      `JMESPath function 'semver_compare': "${version}" is not a semantic version`,
    )
  return range.split('||').some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .every((part) => {
        const m = /^(>=|<=|>|<|=|==|!=|!)?\s*(.+)$/.exec(part.trim())
        if (!m) return false
        const target = parseSemver((m[2] as string).replace(/\.x$/, '.0'))
        if (!target)
          throw new CompatError('POLICY_INVALID', `JMESPath function 'semver_compare': invalid range "${range}"`)
        const c = compareSemver(v, target)
        switch (m[1]) {
          case '>=':
            return c >= 0
          case '<=':
            return c <= 0
          case '>':
            return c > 0
          case '<':
            return c < 0
          case '!=':
          case '!':
            return c !== 0
          default:
            return c === 0
        }
      }),
  )
}

function normalizeImage(image: string): string {
  let name = image
  let digest = ''
  const at = name.indexOf('@')
  if (at >= 0) {
    digest = name.slice(at)
    name = name.slice(0, at)
  }
  let tag = ''
  const slash = name.lastIndexOf('/')
  const colon = name.lastIndexOf(':')
  if (colon > slash) {
    tag = name.slice(colon)
    name = name.slice(0, colon)
  }
  const first = name.split('/')[0] as string
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (!hasRegistry) name = `docker.io/${name.includes('/') ? name : `library/${name}`}`
  if (tag === '' && digest === '') tag = ':latest'
  return `${name}${tag}${digest}`
}
