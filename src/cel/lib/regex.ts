import { RE2JS } from 're2js'
import { evalError } from '../errors.js'
import { overload, type FunctionTable, type Impl } from '../overloads.js'
import { nativeEquivalent } from './regex-native.js'

/**
 * RE2 regular expressions (linear time, RE2 syntax and flags such as `(?i)`), via re2js.
 * Literal patterns are compiled once at compile time; dynamic ones go through a bounded
 * LRU cache. Patterns that are plain text, optionally anchored, use string operations;
 * quantifier-free patterns use an equivalent JS RegExp (see regex-native.ts).
 */

interface Regex {
  test(s: string): boolean
  find(s: string): string
  findAll(s: string, limit: number): string[]
}

/** Plain text with `\` escapes of punctuation only, or undefined when the pattern has syntax. */
function literalText(p: string): string | undefined {
  let out = ''
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] as string
    if (ch === '\\') {
      const next = p[i + 1]
      if (next === undefined || /[A-Za-z0-9]/.test(next) || next.charCodeAt(0) > 0x7e) return undefined
      out += next
      i++
    } else if ('.+*?()|[]{}^$'.includes(ch)) return undefined
    else out += ch
  }
  return out
}

function fromRe2(re: RE2JS): Regex {
  return {
    test: (s) => re.test(s),
    find: (s) => {
      const m = re.matcher(s)
      return m.find() ? (m.group() ?? '') : ''
    },
    findAll: (s, limit) => {
      const out: string[] = []
      if (limit === 0) return out
      const m = re.matcher(s)
      while (m.find()) {
        out.push(m.group() ?? '')
        if (out.length === limit) break
      }
      return out
    },
  }
}

/** Compile a pattern; throws a CelEvalError naming the problem when it is not valid RE2. */
export function compileRegex(pattern: string): Regex {
  let re: RE2JS
  try {
    re = RE2JS.compile(pattern)
  } catch (error) {
    throw evalError(`invalid regular expression: ${error instanceof Error ? error.message : String(error)}`)
  }
  const general = fromRe2(re)
  const anchoredStart = pattern.startsWith('^')
  const body = anchoredStart ? pattern.slice(1) : pattern
  const anchoredEnd = body.endsWith('$') && !body.endsWith('\\$')
  const text = literalText(anchoredEnd ? body.slice(0, -1) : body)
  if (text === undefined) {
    const native = nativeEquivalent(pattern)
    if (native === undefined) return general
    return { ...general, test: (s) => native.test(s), find: (s) => native.exec(s)?.[0] ?? '' }
  }
  let test: (s: string) => boolean
  if (anchoredStart && anchoredEnd) test = (s) => s === text
  else if (anchoredStart) test = (s) => s.startsWith(text)
  else if (anchoredEnd) test = (s) => s.endsWith(text)
  else test = (s) => s.includes(text)
  return { ...general, test }
}

const CACHE_SIZE = 256
const cache = new Map<string, Regex>()

/** A compiled pattern from the bounded LRU cache. */
export function cachedRegex(pattern: string): Regex {
  let re = cache.get(pattern)
  if (re !== undefined) {
    cache.delete(pattern)
    cache.set(pattern, re)
    return re
  }
  re = compileRegex(pattern)
  cache.set(pattern, re)
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  return re
}

function toLimit(n: number | bigint): number {
  return typeof n === 'bigint' ? (n < 0n ? -1 : Number.MAX_SAFE_INTEGER) : n
}

/** Specialise on a constant pattern (argument 1): compile it once, at compile time. */
function onPattern(
  make: (re: Regex) => Impl,
): (constants: readonly ({ value: unknown } | undefined)[]) => Impl | undefined {
  return (constants) => {
    const p = constants[1]
    return p === undefined ? undefined : make(compileRegex(p.value as string))
  }
}

const matches = overload(['string', 'string'], 'bool', (s: string, p: string) => cachedRegex(p).test(s), {
  specialize: onPattern((re) => (s) => re.test(s as string)),
})

/** Regex function table: matches, and the Kubernetes find/findAll. */
export const REGEX_FUNCTIONS: FunctionTable = {
  matches: { global: [matches], member: [matches] },
  find: {
    member: [
      overload(['string', 'string'], 'string', (s: string, p: string) => cachedRegex(p).find(s), {
        specialize: onPattern((re) => (s) => re.find(s as string)),
      }),
    ],
  },
  findAll: {
    member: [
      overload(['string', 'string'], 'list', (s: string, p: string) => cachedRegex(p).findAll(s, -1), {
        sized: true,
        specialize: onPattern((re) => (s) => re.findAll(s as string, -1)),
      }),
      overload(
        ['string', 'string', 'int'],
        'list',
        (s: string, p: string, n: number | bigint) => cachedRegex(p).findAll(s, toLimit(n)),
        {
          sized: true,
          specialize: onPattern((re) => (s, _p, n) => re.findAll(s as string, toLimit(n as number))),
        },
      ),
    ],
  },
}
