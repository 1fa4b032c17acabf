import { BuiltinError } from '../errors.js'
import {
  compare,
  equal,
  isArray,
  isNumber,
  isObject,
  numberOf,
  objectEntries,
  RSet,
  typeName,
  type Value,
} from '../value.js'
import { fixed, members, type BuiltinTable } from './types.js'

function arith(name: string, op: (a: number, b: number) => number): BuiltinTable[string] {
  return fixed(2, ([a, b]) => {
    if (!isNumber(a))
      throw new BuiltinError(`operand 1 must be number but got ${typeName(a as Value)}`, 'eval_type_error')
    if (!isNumber(b))
      throw new BuiltinError(`operand 2 must be number but got ${typeName(b as Value)}`, 'eval_type_error')
    const r = op(numberOf(a), numberOf(b))
    if (!Number.isFinite(r)) throw new BuiltinError(`${name}: result is not a finite number`)
    return r
  })
}

function setOp(fn: (a: RSet, b: RSet) => RSet): (args: Value[]) => Value {
  return ([a, b]) => {
    if (!(a instanceof RSet))
      throw new BuiltinError(`operand 1 must be set but got ${typeName(a as Value)}`, 'eval_type_error')
    if (!(b instanceof RSet))
      throw new BuiltinError(`operand 2 must be set but got ${typeName(b as Value)}`, 'eval_type_error')
    return fn(a, b)
  }
}

/** Membership of `x` among the values of a collection (the `in` operator). */
function member(x: Value, coll: Value): boolean {
  if (isArray(coll)) return coll.some((v) => equal(v, x))
  if (coll instanceof RSet) return coll.has(x)
  if (isObject(coll)) return objectEntries(coll).some(([, v]) => equal(v, x))
  return false
}

export const OPERATORS: BuiltinTable = {
  equal: fixed(2, ([a, b]) => equal(a as Value, b as Value)),
  neq: fixed(2, ([a, b]) => !equal(a as Value, b as Value)),
  lt: fixed(2, ([a, b]) => compare(a as Value, b as Value) < 0),
  lte: fixed(2, ([a, b]) => compare(a as Value, b as Value) <= 0),
  gt: fixed(2, ([a, b]) => compare(a as Value, b as Value) > 0),
  gte: fixed(2, ([a, b]) => compare(a as Value, b as Value) >= 0),
  plus: arith('plus', (a, b) => a + b),
  mul: arith('mul', (a, b) => a * b),
  div: arith('div', (a, b) => {
    if (b === 0) throw new BuiltinError('divide by zero')
    return a / b
  }),
  rem: arith('rem', (a, b) => {
    if (!Number.isInteger(a) || !Number.isInteger(b)) throw new BuiltinError('modulo on floating-point number')
    if (b === 0) throw new BuiltinError('modulo by zero')
    return a % b
  }),
  minus: fixed(2, (args) => {
    const [a, b] = args
    if (a instanceof RSet || b instanceof RSet)
      return setOp((x, y) => new RSet([...x.values()].filter((v) => !y.has(v))))(args)
    return arith('minus', (x, y) => x - y).fn(args, undefined as never)
  }),
  and: fixed(
    2,
    setOp((a, b) => new RSet([...a.values()].filter((v) => b.has(v)))),
  ),
  or: fixed(
    2,
    setOp((a, b) => new RSet([...a.values(), ...b.values()])),
  ),
  'internal.member_2': fixed(2, ([x, coll]) => member(x as Value, coll as Value)),
  'internal.member_3': fixed(3, ([k, v, coll]) => {
    if (isArray(coll))
      return (
        typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < coll.length && equal(coll[k] as Value, v as Value)
      )
    if (isObject(coll)) return objectEntries(coll).some(([kk, vv]) => equal(kk, k as Value) && equal(vv, v as Value))
    return false
  }),
  intersection: fixed(1, (args) => {
    const sets = members(args, 0, 'set')
    if (sets.length === 0) return new RSet()
    let out = sets[0] as RSet
    for (const s of sets.slice(1)) {
      if (!(s instanceof RSet)) throw new BuiltinError('operand 1 must be set of sets', 'eval_type_error')
      out = new RSet([...out.values()].filter((v) => s.has(v)))
    }
    return out
  }),
  union: fixed(1, (args) => {
    const out = new RSet()
    for (const s of members(args, 0, 'set')) {
      if (!(s instanceof RSet)) throw new BuiltinError('operand 1 must be set of sets', 'eval_type_error')
      for (const v of s.values()) out.map.set(...([...s.map.entries()].find(([, x]) => x === v) as [string, Value]))
    }
    return out
  }),
}
