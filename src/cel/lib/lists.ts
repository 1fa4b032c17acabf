import { arithDyn } from '../arithmetic.js'
import { celEquals, compareValues } from '../equality.js'
import { evalError } from '../errors.js'
import { overload, type FunctionTable } from '../overloads.js'
import { noOverload, typeOf } from '../runtime-types.js'

/** The Kubernetes lists library and the cel-go sets extension. */

const SUMMABLE = new Set(['int', 'uint', 'double', 'google.protobuf.Duration'])

function isSorted(list: readonly unknown[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareValues(list[i - 1], list[i], 'isSorted') > 0) return false
  return true
}

function sum(list: readonly unknown[]): unknown {
  if (list.length === 0) return 0
  let acc = list[0]
  const t = typeOf(acc)
  if (!SUMMABLE.has(t)) throw noOverload('sum', [list])
  for (let i = 1; i < list.length; i++) {
    if (typeOf(list[i]) !== t) throw noOverload('sum', [list])
    acc = arithDyn('+', acc, list[i])
  }
  return acc
}

function extreme(list: readonly unknown[], name: string, sign: number): unknown {
  if (list.length === 0) throw evalError(`${name} called on empty list`)
  let best = list[0]
  for (let i = 1; i < list.length; i++) if (compareValues(list[i], best, name) * sign > 0) best = list[i]
  return best
}

function indexOf(list: readonly unknown[], x: unknown): number {
  for (let i = 0; i < list.length; i++) if (celEquals(list[i], x)) return i
  return -1
}

function lastIndexOf(list: readonly unknown[], x: unknown): number {
  for (let i = list.length - 1; i >= 0; i--) if (celEquals(list[i], x)) return i
  return -1
}

function contains(list: readonly unknown[], x: unknown): boolean {
  return indexOf(list, x) >= 0
}

/** Lists and sets function table. */
export const LIST_FUNCTIONS: FunctionTable = {
  isSorted: { member: [overload(['list'], 'bool', isSorted)] },
  sum: { member: [overload(['list'], 'dyn', sum)] },
  min: { member: [overload(['list'], 'dyn', (l: unknown[]) => extreme(l, 'min', -1))] },
  max: { member: [overload(['list'], 'dyn', (l: unknown[]) => extreme(l, 'max', 1))] },
  indexOf: { member: [overload(['list', 'dyn'], 'int', indexOf)] },
  lastIndexOf: { member: [overload(['list', 'dyn'], 'int', lastIndexOf)] },
  'sets.contains': {
    global: [overload(['list', 'list'], 'bool', (a: unknown[], b: unknown[]) => b.every((x) => contains(a, x)))],
  },
  'sets.equivalent': {
    global: [
      overload(
        ['list', 'list'],
        'bool',
        (a: unknown[], b: unknown[]) => b.every((x) => contains(a, x)) && a.every((x) => contains(b, x)),
      ),
    ],
  },
  'sets.intersects': {
    global: [overload(['list', 'list'], 'bool', (a: unknown[], b: unknown[]) => a.some((x) => contains(b, x)))],
  },
}
