import { evalError } from '../errors.js'
import { mapSize } from '../maps.js'
import { overload, type FunctionTable } from '../overloads.js'
import { isMap } from '../runtime-types.js'
import { CelDuration, CelTimestamp, MIN_TIMESTAMP_NS } from '../time-values.js'
import { CelBytes, CelDouble, CelOptional, CelUint } from '../values.js'

/**
 * Optional values as Kubernetes enables them. `or` and `orValue` are compiled in
 * macros.ts because their argument is evaluated only when needed.
 */

/** The zero value of each type, as optional.ofNonZeroValue() understands it. */
export function isZeroValue(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === 0n || v === '') return true
  if (Array.isArray(v)) return v.length === 0
  if (v instanceof CelUint) return v.value === 0n
  if (v instanceof CelDouble) return v.value === 0
  if (v instanceof CelBytes) return v.bytes.length === 0
  if (v instanceof CelDuration) return v.nanos === 0n
  if (v instanceof CelTimestamp) return v.nanos === MIN_TIMESTAMP_NS
  if (isMap(v)) return mapSize(v) === 0
  return false
}

/** Optional function table. */
export const OPTIONAL_FUNCTIONS: FunctionTable = {
  'optional.of': { global: [overload(['dyn'], 'optional_type', (v: unknown) => CelOptional.of(v))] },
  'optional.none': { global: [overload([], 'optional_type', () => CelOptional.NONE)] },
  'optional.ofNonZeroValue': {
    global: [
      overload(['dyn'], 'optional_type', (v: unknown) => (isZeroValue(v) ? CelOptional.NONE : CelOptional.of(v))),
    ],
  },
  hasValue: { member: [overload(['optional_type'], 'bool', (o: CelOptional) => o.present)] },
  value: {
    member: [
      overload(['optional_type'], 'dyn', (o: CelOptional) => {
        if (!o.present) throw evalError('optional.none() dereference')
        return o.value
      }),
    ],
  },
}
