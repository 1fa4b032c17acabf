import { RE2JS } from 're2js'
import { BuiltinError } from '../errors.js'
import { arr, fixed, int, str, type BuiltinTable } from './types.js'

/** Compiled patterns, bounded (RE2: linear time whatever the pattern or input). */
const cache = new Map<string, RE2JS>()

export function re2(pattern: string): RE2JS {
  let re = cache.get(pattern)
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern)
    } catch (error) {
      throw new BuiltinError(`error parsing regexp: ${(error as Error).message}`)
    }
    if (cache.size >= 500) cache.delete(cache.keys().next().value as string)
    cache.set(pattern, re)
  }
  return re
}

function findAll(re: RE2JS, s: string, n: number): string[] {
  const out: string[] = []
  const m = re.matcher(s)
  while ((n < 0 || out.length < n) && m.find()) out.push(m.group() ?? '')
  return out
}

/** gobwas/glob syntax (as OPA's glob.match) translated to RE2. */
function globToRe2(pattern: string, delimiters: readonly string[]): string {
  const notDelim =
    delimiters.length === 0 ? '[\\s\\S]' : `[^${delimiters.map((d) => d.replace(/[\\\]^-]/g, '\\$&')).join('')}]`
  let out = ''
  let depth = 0
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === '\\' && i + 1 < pattern.length) {
      out += RE2JS.quote(pattern[++i] as string)
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '[\\s\\S]*'
        i++
      } else out += `${notDelim}*`
    } else if (c === '?') out += notDelim
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1)
      if (end < 0) throw new BuiltinError(`glob.match: unexpected end of input in ${JSON.stringify(pattern)}`)
      let body = pattern.slice(i + 1, end)
      const neg = body.startsWith('!')
      if (neg) body = body.slice(1)
      out += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`
      i = end
    } else if (c === '{') {
      out += '(?:'
      depth++
    } else if (c === '}' && depth > 0) {
      out += ')'
      depth--
    } else if (c === ',' && depth > 0) out += '|'
    else out += RE2JS.quote(c)
  }
  if (depth > 0) throw new BuiltinError(`glob.match: unclosed {} in ${JSON.stringify(pattern)}`)
  return `^(?:${out})$`
}

export const REGEX: BuiltinTable = {
  'regex.match': fixed(2, (a) => re2(str(a, 0)).matcher(str(a, 1)).find()),
  re_match: fixed(2, (a) => re2(str(a, 0)).matcher(str(a, 1)).find()),
  'regex.is_valid': fixed(1, (a) => {
    try {
      re2(str(a, 0))
      return true
    } catch {
      return false
    }
  }),
  'regex.find_n': fixed(3, (a) => findAll(re2(str(a, 0)), str(a, 1), int(a, 2))),
  'regex.find_all_string_submatch_n': fixed(3, (a) => {
    const re = re2(str(a, 0))
    const m = re.matcher(str(a, 1))
    const n = int(a, 2)
    const out: string[][] = []
    while ((n < 0 || out.length < n) && m.find()) {
      const row: string[] = []
      for (let g = 0; g <= m.groupCount(); g++) row.push(m.group(g) ?? '')
      out.push(row)
    }
    return out
  }),
  'regex.split': fixed(2, (a) => re2(str(a, 0)).split(str(a, 1), -1)),
  'regex.replace': fixed(3, (a) =>
    re2(str(a, 1))
      .matcher(str(a, 0))
      .replaceAll(str(a, 2).replace(/\$\{?(\d+)\}?/g, '$$$1')),
  ),
  'glob.match': fixed(3, (a) => {
    const d = a[1]
    let delimiters: string[]
    if (d === null) delimiters = []
    else {
      delimiters = arr(a, 1).map((x) => String(x))
      if (delimiters.length === 0) delimiters = ['.']
    }
    return re2(globToRe2(str(a, 0), delimiters))
      .matcher(str(a, 2))
      .matches()
  }),
  'glob.quote_meta': fixed(1, (a) => str(a, 0).replace(/[*?\\[\]{}]/g, '\\$&')),
}
