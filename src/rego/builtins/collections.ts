import { BuiltinError } from '../errors.js'
import {
  equal,
  indexValue,
  isArray,
  isObject,
  makeObject,
  objectEntries,
  objectGet,
  RSet,
  type Value,
} from '../value.js'
import { arr, fixed, int, members, num, obj, typeError, type BuiltinTable } from './types.js'

function union(a: Value, b: Value): Value {
  if (!isObject(a) || !isObject(b)) return b
  const entries = new Map<string, [Value, Value]>()
  for (const [k, v] of objectEntries(a)) entries.set(JSON.stringify([typeof k, k]), [k, v])
  for (const [k, v] of objectEntries(b)) {
    const id = JSON.stringify([typeof k, k])
    const prev = entries.get(id)
    entries.set(id, [k, prev ? union(prev[1], v) : v])
  }
  return makeObject(entries.values())
}

function keySet(args: Value[], i: number): Value[] {
  const v = args[i] as Value
  if (isArray(v)) return [...v]
  if (v instanceof RSet) return [...v.values()]
  if (isObject(v)) return objectEntries(v).map(([k]) => k)
  throw typeError(i, 'any of array, object or set', v)
}

function subset(sup: Value, sub: Value): boolean {
  if (isObject(sup) && isObject(sub)) {
    return objectEntries(sub).every(([k, v]) => {
      const x = objectGet(sup, k)
      return x !== undefined && (isObject(x) && isObject(v) ? subset(x, v) : equal(x, v))
    })
  }
  if (sup instanceof RSet && sub instanceof RSet) return [...sub.values()].every((v) => sup.has(v))
  if (isArray(sup) && isArray(sub)) {
    if (sub.length === 0) return true
    for (let i = 0; i + sub.length <= sup.length; i++)
      if (sub.every((v, j) => equal(v, sup[i + j] as Value))) return true
    return false
  }
  if (sup instanceof RSet && isArray(sub)) return sub.every((v) => sup.has(v))
  throw new BuiltinError('object.subset: both arguments must be objects, sets or arrays', 'eval_type_error')
}

export const COLLECTIONS: BuiltinTable = {
  'array.concat': fixed(2, (a) => [...arr(a, 0), ...arr(a, 1)]),
  'array.slice': fixed(3, (a) => {
    const xs = arr(a, 0)
    const start = Math.max(0, int(a, 1))
    const stop = Math.min(xs.length, int(a, 2))
    return start >= stop ? [] : xs.slice(start, stop)
  }),
  'array.reverse': fixed(1, (a) => [...arr(a, 0)].reverse()),
  'object.get': fixed(3, (a) => {
    const o = obj(a, 0)
    const key = a[1] as Value
    if (isArray(key)) {
      let v: Value | undefined = o
      for (const k of key) {
        v = v === undefined ? undefined : indexValue(v, k)
        if (v === undefined) return a[2]
      }
      return v
    }
    return objectGet(o, key) ?? a[2]
  }),
  'object.keys': fixed(1, (a) => new RSet(objectEntries(obj(a, 0)).map(([k]) => k))),
  'object.remove': fixed(2, (a) => {
    const o = obj(a, 0)
    const drop = new RSet(keySet(a, 1))
    return makeObject(objectEntries(o).filter(([k]) => !drop.has(k)))
  }),
  'object.filter': fixed(2, (a) => {
    const o = obj(a, 0)
    const keep = new RSet(keySet(a, 1))
    return makeObject(objectEntries(o).filter(([k]) => keep.has(k)))
  }),
  'object.union': fixed(2, (a) => union(obj(a, 0), obj(a, 1))),
  'object.union_n': fixed(1, (a) =>
    arr(a, 0).reduce<Value>((acc, o, i) => {
      if (!isObject(o)) throw typeError(0, 'array of objects', o)
      return i === 0 ? o : union(acc, o)
    }, makeObject([])),
  ),
  'object.subset': fixed(2, (a) => subset(a[0] as Value, a[1] as Value)),
  'numbers.range': fixed(2, (a) => {
    const from = int(a, 0)
    const to = int(a, 1)
    if (Math.abs(to - from) > 1_000_000) throw new BuiltinError('numbers.range: range too large')
    const out: number[] = []
    if (from <= to) for (let i = from; i <= to; i++) out.push(i)
    else for (let i = from; i >= to; i--) out.push(i)
    return out
  }),
  abs: fixed(1, (a) => Math.abs(num(a, 0))),
  round: fixed(1, (a) => {
    const n = num(a, 0)
    return Math.sign(n) * Math.round(Math.abs(n))
  }),
  ceil: fixed(1, (a) => Math.ceil(num(a, 0))),
  floor: fixed(1, (a) => Math.floor(num(a, 0))),
  cast_array: fixed(1, (a) => [...members(a, 0)]),
  cast_set: fixed(1, (a) => new RSet(members(a, 0))),
  trace: fixed(1, () => true),
}

COLLECTIONS['array.flatten'] = fixed(1, (a) => arr(a, 0).flatMap((x) => (isArray(x) ? x : [x])))
