import { BuiltinError } from '../errors.js'
import type { Value } from '../value.js'
import { sprintf } from './sprintf.js'
import { arr, fixed, int, members, num, obj, str, typeError, type BuiltinTable } from './types.js'
import { objectEntries } from '../value.js'

function stringList(args: Value[], i: number): string[] {
  const v = args[i] as Value
  if (typeof v === 'string') return [v]
  return members(args, i, 'any of string, array or set').map((x) => {
    if (typeof x !== 'string') throw typeError(i, 'array or set of strings', x)
    return x
  })
}

const trimChars = (s: string, cut: string, left: boolean, right: boolean): string => {
  const set = new Set([...cut])
  const cps = [...s]
  let a = 0
  let b = cps.length
  if (left) while (a < b && set.has(cps[a] as string)) a++
  if (right) while (b > a && set.has(cps[b - 1] as string)) b--
  return cps.slice(a, b).join('')
}

function toNumber(v: Value): number {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'boolean') return v ? 1 : 0
  if (v === null) return 0
  if (typeof v === 'string') {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) || v.trim() !== v)
      throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`)
    return Number(v)
  }
  throw typeError(0, 'any of null, boolean, number or string', v)
}

export const STRINGS: BuiltinTable = {
  concat: fixed(2, (args) =>
    members(args, 1)
      .map((x) => {
        if (typeof x !== 'string') throw typeError(1, 'array or set of strings', x)
        return x
      })
      .join(str(args, 0)),
  ),
  contains: fixed(2, (a) => str(a, 0).includes(str(a, 1))),
  startswith: fixed(2, (a) => str(a, 0).startsWith(str(a, 1))),
  endswith: fixed(2, (a) => str(a, 0).endsWith(str(a, 1))),
  lower: fixed(1, (a) => str(a, 0).toLowerCase()),
  upper: fixed(1, (a) => str(a, 0).toUpperCase()),
  split: fixed(2, (a) => str(a, 0).split(str(a, 1))),
  replace: fixed(3, (a) => str(a, 0).split(str(a, 1)).join(str(a, 2))),
  'strings.replace_n': fixed(2, (a) => {
    let s = str(a, 1)
    const pairs = objectEntries(obj(a, 0)).sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1))
    // Go's strings.NewReplacer: one pass, first matching pattern at each position.
    let out = ''
    let i = 0
    outer: while (i < s.length) {
      for (const [k, v] of pairs) {
        if (typeof k !== 'string' || typeof v !== 'string')
          throw new BuiltinError('strings.replace_n: patterns must be strings', 'eval_type_error')
        if (k.length > 0 && s.startsWith(k, i)) {
          out += v
          i += k.length
          continue outer
        }
      }
      out += s[i]
      i++
    }
    s = out
    return s
  }),
  substring: fixed(3, (a) => {
    const cps = [...str(a, 0)]
    const start = int(a, 1)
    const len = int(a, 2)
    if (start < 0) throw new BuiltinError('negative offset')
    if (start >= cps.length) return ''
    return (len < 0 ? cps.slice(start) : cps.slice(start, start + len)).join('')
  }),
  indexof: fixed(2, (a) => {
    const s = str(a, 0)
    const i = s.indexOf(str(a, 1))
    return i < 0 ? -1 : [...s.slice(0, i)].length
  }),
  indexof_n: fixed(2, (a) => {
    const s = str(a, 0)
    const sub = str(a, 1)
    const out: number[] = []
    if (sub === '') return out
    for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) out.push([...s.slice(0, i)].length)
    return out
  }),
  trim: fixed(2, (a) => trimChars(str(a, 0), str(a, 1), true, true)),
  trim_left: fixed(2, (a) => trimChars(str(a, 0), str(a, 1), true, false)),
  trim_right: fixed(2, (a) => trimChars(str(a, 0), str(a, 1), false, true)),
  trim_prefix: fixed(2, (a) => (str(a, 0).startsWith(str(a, 1)) ? str(a, 0).slice(str(a, 1).length) : str(a, 0))),
  trim_suffix: fixed(2, (a) =>
    str(a, 1) !== '' && str(a, 0).endsWith(str(a, 1)) ? str(a, 0).slice(0, -str(a, 1).length) : str(a, 0),
  ),
  trim_space: fixed(1, (a) => str(a, 0).trim()),
  sprintf: fixed(2, (a) => sprintf(str(a, 0), arr(a, 1))),
  format_int: fixed(2, (a) => {
    const base = int(a, 1)
    if (![2, 8, 10, 16].includes(base)) throw new BuiltinError('operand 2 must be one of {2, 8, 10, 16}')
    return Math.trunc(num(a, 0)).toString(base)
  }),
  to_number: fixed(1, ([v]) => toNumber(v as Value)),
  'strings.any_prefix_match': fixed(2, (a) => {
    const ss = stringList(a, 0)
    const ps = stringList(a, 1)
    return ss.some((s) => ps.some((p) => s.startsWith(p)))
  }),
  'strings.any_suffix_match': fixed(2, (a) => {
    const ss = stringList(a, 0)
    const ps = stringList(a, 1)
    return ss.some((s) => ps.some((p) => s.endsWith(p)))
  }),
  'strings.reverse': fixed(1, (a) => [...str(a, 0)].reverse().join('')),
  'strings.count': fixed(2, (a) => {
    const sub = str(a, 1)
    if (sub === '') return [...str(a, 0)].length + 1
    return str(a, 0).split(sub).length - 1
  }),
  'strings.render_template': fixed(2, () => {
    throw new BuiltinError('strings.render_template is not supported')
  }),
}
