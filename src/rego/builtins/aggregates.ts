import { BuiltinError } from '../errors.js'
import {
  compare,
  isArray,
  isNumber,
  isObject,
  numberOf,
  objectSize,
  RSet,
  sortedValues,
  typeName,
  type Value,
} from '../value.js'
import { fixed, members, typeError, type BuiltinTable } from './types.js'

function numbers(args: Value[]): number[] {
  return members(args, 0).map((v) => {
    if (!isNumber(v))
      throw new BuiltinError(`operand 1 must be array or set of numbers but got ${typeName(v)}`, 'eval_type_error')
    return numberOf(v)
  })
}

export const AGGREGATES: BuiltinTable = {
  count: fixed(1, ([v]) => {
    if (typeof v === 'string') return [...v].length
    if (isArray(v)) return v.length
    if (v instanceof RSet) return v.size
    if (isObject(v)) return objectSize(v)
    throw typeError(0, 'any of array, object, set or string', v as Value)
  }),
  sum: fixed(1, (args) => numbers(args).reduce((a, b) => a + b, 0)),
  product: fixed(1, (args) => numbers(args).reduce((a, b) => a * b, 1)),
  max: fixed(1, (args) => {
    const xs = members(args, 0)
    if (xs.length === 0) return undefined
    return xs.reduce((a, b) => (compare(b, a) > 0 ? b : a))
  }),
  min: fixed(1, (args) => {
    const xs = members(args, 0)
    if (xs.length === 0) return undefined
    return xs.reduce((a, b) => (compare(b, a) < 0 ? b : a))
  }),
  sort: fixed(1, ([v]) => {
    if (isArray(v)) return [...v].sort(compare)
    if (v instanceof RSet) return sortedValues(v)
    throw typeError(0, 'any of array or set', v as Value)
  }),
  all: fixed(1, (args) => members(args, 0).every((v) => v === true)),
  any: fixed(1, (args) => members(args, 0).some((v) => v === true)),
}
