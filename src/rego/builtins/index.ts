import { AGGREGATES } from './aggregates.js'
import { COLLECTIONS } from './collections.js'
import { ENCODING } from './encoding.js'
import { OPERATORS } from './operators.js'
import { REGEX } from './regex.js'
import { STRINGS } from './strings.js'
import { TIME } from './time.js'
import { TYPES } from './typecheck.js'
import type { BuiltinTable } from './types.js'
import { UNITS } from './units.js'

/** Every built-in function by its dotted name (operators by OPA's internal names). */
export const BUILTINS: BuiltinTable = Object.assign(
  Object.create(null) as BuiltinTable,
  OPERATORS,
  AGGREGATES,
  STRINGS,
  TYPES,
  COLLECTIONS,
  ENCODING,
  REGEX,
  UNITS,
  TIME,
)

export type { Builtin, BuiltinTable } from './types.js'
