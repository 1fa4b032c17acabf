import { isArray, isObject, RSet, typeName, type Value } from '../value.js'
import { fixed, type BuiltinTable } from './types.js'

export const TYPES: BuiltinTable = {
  is_string: fixed(1, ([v]) => typeof v === 'string'),
  is_number: fixed(1, ([v]) => typeof v === 'number' || typeof v === 'bigint'),
  is_boolean: fixed(1, ([v]) => typeof v === 'boolean'),
  is_array: fixed(1, ([v]) => isArray(v)),
  is_set: fixed(1, ([v]) => v instanceof RSet),
  is_object: fixed(1, ([v]) => isObject(v)),
  is_null: fixed(1, ([v]) => v === null),
  type_name: fixed(1, ([v]) => typeName(v as Value)),
}
