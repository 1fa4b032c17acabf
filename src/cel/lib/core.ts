import { mapSize } from '../maps.js'
import { overload, type FunctionTable, type Overload } from '../overloads.js'
import { isMap, noOverload, typeValueOf } from '../runtime-types.js'
import { CelBytes, type CelMap } from '../values.js'

/** Standard functions: size, string predicates, type(), dyn(). */

/** Number of Unicode code points in a JS (UTF-16) string. */
export function codePointLength(s: string): number {
  let n = s.length
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xdc00 && c <= 0xdfff) {
      const p = s.charCodeAt(i - 1)
      if (p >= 0xd800 && p <= 0xdbff) n--
    }
  }
  return n
}

/** size() of any sized value: used when the argument type is only known at run time. */
function sizeOf(v: unknown): number {
  if (typeof v === 'string') return codePointLength(v)
  if (Array.isArray(v)) return v.length
  if (v instanceof CelBytes) return v.bytes.length
  if (isMap(v)) return mapSize(v)
  throw noOverload('size', [v])
}

const sizeOverloads = (): Overload[] => [
  overload(['string'], 'int', (s: string) => codePointLength(s)),
  overload(['bytes'], 'int', (b: CelBytes) => b.bytes.length),
  overload(['list'], 'int', (l: unknown[]) => l.length),
  overload(['map'], 'int', (m: Record<string, unknown> | CelMap) => mapSize(m)),
]

/** Core function table. */
export const CORE_FUNCTIONS: FunctionTable = {
  size: { global: sizeOverloads(), member: sizeOverloads(), dynamic: sizeOf },
  contains: { member: [overload(['string', 'string'], 'bool', (s: string, t: string) => s.includes(t))] },
  startsWith: { member: [overload(['string', 'string'], 'bool', (s: string, t: string) => s.startsWith(t))] },
  endsWith: { member: [overload(['string', 'string'], 'bool', (s: string, t: string) => s.endsWith(t))] },
  type: { global: [overload(['dyn'], 'type', (v: unknown) => typeValueOf(v))] },
  dyn: { global: [overload(['dyn'], 'dyn', (v: unknown) => v)] },
}
