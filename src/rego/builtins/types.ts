import type { Ctx } from '../context.js'
import { BuiltinError } from '../errors.js'
import {
  isArray,
  isNumber,
  isObject,
  numberOf,
  RSet,
  typeName,
  type PlainObject,
  type RObject,
  type Value,
} from '../value.js'

/** A built-in function: fixed arity, pure; throws BuiltinError on bad operands. */
export interface Builtin {
  arity: number
  fn: (args: Value[], c: Ctx) => Value | undefined
}

export type BuiltinTable = Record<string, Builtin>

function typeError(i: number, want: string, got: Value): BuiltinError {
  return new BuiltinError(`operand ${i + 1} must be ${want} but got ${typeName(got)}`, 'eval_type_error')
}

export function str(args: Value[], i: number): string {
  const v = args[i] as Value
  if (typeof v !== 'string') throw typeError(i, 'string', v)
  return v
}

export function num(args: Value[], i: number): number {
  const v = args[i] as Value
  if (!isNumber(v)) throw typeError(i, 'number', v)
  return numberOf(v)
}

export function int(args: Value[], i: number): number {
  const v = num(args, i)
  if (!Number.isInteger(v))
    throw new BuiltinError(`operand ${i + 1} must be integer number but got floating-point number`, 'eval_type_error')
  return v
}

export function arr(args: Value[], i: number): readonly Value[] {
  const v = args[i] as Value
  if (!isArray(v)) throw typeError(i, 'array', v)
  return v
}

export function set(args: Value[], i: number): RSet {
  const v = args[i] as Value
  if (!(v instanceof RSet)) throw typeError(i, 'set', v)
  return v
}

export function obj(args: Value[], i: number): PlainObject | RObject {
  const v = args[i] as Value
  if (!isObject(v)) throw typeError(i, 'object', v)
  return v
}

/** Members of an array or set. */
export function members(args: Value[], i: number, want = 'any of array or set'): readonly Value[] {
  const v = args[i] as Value
  if (isArray(v)) return v
  if (v instanceof RSet) return [...v.values()]
  throw typeError(i, want, v)
}

export const fixed = (arity: number, fn: (args: Value[], c: Ctx) => Value | undefined): Builtin => ({ arity, fn })

export { typeError }
