import { isRecord, jsonEqual } from '../../core/index.js'
import { spend } from '../../engine/index.js'
import { parseDuration } from './duration.js'
import { compareQuantity, parseQuantity } from './quantity.js'
import { matchValue, operatorOf } from './value-pattern.js'
import { wildcardMatch } from '../shared/wildcard.js'

/** Condition operators of preconditions and validate.deny, including the deprecated ones. */
export const CONDITION_OPERATORS = [
  'Equal',
  'Equals',
  'NotEqual',
  'NotEquals',
  'In',
  'AnyIn',
  'AllIn',
  'NotIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThanOrEquals',
  'GreaterThan',
  'LessThanOrEquals',
  'LessThan',
  'DurationGreaterThanOrEquals',
  'DurationGreaterThan',
  'DurationLessThanOrEquals',
  'DurationLessThan',
] as const

/** One of {@link CONDITION_OPERATORS}. */
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number]

/** Is this a known operator name? */
export function isConditionOperator(name: string): name is ConditionOperator {
  return (CONDITION_OPERATORS as readonly string[]).includes(name)
}

/** Evaluate `key <operator> value` exactly as Kyverno's operator handlers do. */
export function evaluateOperator(operator: ConditionOperator, key: unknown, value: unknown): boolean {
  switch (operator) {
    case 'Equal':
    case 'Equals':
      return equals(key, value)
    case 'NotEqual':
    case 'NotEquals':
      return !equals(key, value)
    case 'In':
      return inOp(key, value)
    case 'NotIn':
      return !inOp(key, value)
    case 'AnyIn':
      return setOp(key, value, 'any')
    case 'AllIn':
      return setOp(key, value, 'all')
    case 'AnyNotIn':
      return setOp(key, value, 'anyNot')
    case 'AllNotIn':
      return setOp(key, value, 'allNot')
    case 'GreaterThanOrEquals':
    case 'GreaterThan':
    case 'LessThanOrEquals':
    case 'LessThan':
      return numeric(key, value, operator)
    case 'DurationGreaterThanOrEquals':
    case 'DurationGreaterThan':
    case 'DurationLessThanOrEquals':
    case 'DurationLessThan':
      return durationOp(key, value, operator)
  }
}

/** Durations for a comparison: at least one side must be a duration string; numbers are seconds. */
function durationPair(key: unknown, value: unknown): [number, number] | undefined {
  const asDuration = (x: unknown): number | undefined =>
    typeof x === 'string' && /[a-zµμ]/.test(x) ? parseDuration(x) : undefined
  const dk = asDuration(key)
  const dv = asDuration(value)
  if (dk === undefined && dv === undefined) return undefined
  const seconds = (x: unknown, d: number | undefined): number | undefined => {
    if (d !== undefined) return d
    if (typeof x === 'number') return x * 1e9
    if (typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x))) return Number(x) * 1e9
    return undefined
  }
  const k = seconds(key, dk)
  const v = seconds(value, dv)
  return k === undefined || v === undefined ? undefined : [k, v]
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return value === key
  if (typeof key === 'number') {
    if (typeof value === 'number') return value === key
    if (typeof value === 'string') return value.trim() !== '' && Number(value) === key
    return false
  }
  if (typeof key === 'string') {
    const d = durationPair(key, value)
    if (d) return d[0] === d[1]
    const qk = parseQuantity(key)
    if (qk && typeof value === 'string') {
      const qv = parseQuantity(value)
      return qv !== undefined && compareQuantity(qk, qv) === 0
    }
    return typeof value === 'string' && wildcardMatch(value, key)
  }
  if (isRecord(key)) return isRecord(value) && jsonEqual(key, value)
  if (Array.isArray(key)) return Array.isArray(value) && jsonEqual(key, value)
  return key === null && value === null
}

/** Go's fmt.Sprint of a JSON value. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`
  if (isRecord(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goSprint(v[k])}`)
      .join(' ')}]`
  return String(v)
}

/** Deprecated In: key string in a list (or JSON list string); key list all in value. */
function inOp(key: unknown, value: unknown): boolean {
  const values = valueList(value)
  if (values === undefined) return false
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
    const k = goSprint(key)
    return values.some((v) => v === k)
  }
  if (Array.isArray(key)) return key.every((k) => values.includes(goSprint(k)))
  return false
}

function valueList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(goSprint)
  if (typeof value === 'string') {
    const parsed = parseJsonList(value)
    return parsed ?? [value]
  }
  if (typeof value === 'number') return [goSprint(value)]
  return undefined
}

function parseJsonList(text: string): string[] | undefined {
  const t = text.trim()
  if (!t.startsWith('[')) return undefined
  try {
    const parsed: unknown = JSON.parse(t)
    return Array.isArray(parsed) ? parsed.map(goSprint) : undefined
  } catch {
    return undefined
  }
}

const either = (a: string, b: string): boolean => wildcardMatch(a, b) || wildcardMatch(b, a)

function setOp(key: unknown, value: unknown, mode: 'any' | 'all' | 'anyNot' | 'allNot'): boolean {
  const keys = Array.isArray(key)
    ? key.map(goSprint)
    : key === null || key === undefined || isRecord(key)
      ? undefined
      : [goSprint(key)]
  if (keys === undefined) return false
  let values: string[]
  if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return mode === 'any' || mode === 'all'
    if (operatorOf(value) === 'range') {
      const inRange = (k: string): boolean => matchValue(k, value)
      if (mode === 'any') return keys.some(inRange)
      if (mode === 'all') return keys.every(inRange)
      if (mode === 'anyNot') return keys.some((k) => !inRange(k))
      return keys.every((k) => !inRange(k))
    }
    values = parseJsonList(value) ?? [value]
  } else if (Array.isArray(value)) {
    values = value.map(goSprint)
  } else if (typeof value === 'number') {
    values = [goSprint(value)]
  } else {
    return false
  }
  // Every key may be compared with every value, both ways: a unit per pair.
  spend(keys.length * values.length)
  const found = (k: string): boolean => values.some((v) => either(k, v))
  if (mode === 'any') return keys.some(found)
  if (mode === 'all') return keys.every(found)
  if (mode === 'anyNot') return keys.some((k) => !found(k))
  return !keys.every(found)
}

function compareBy(cmp: number, op: string): boolean {
  if (op.endsWith('GreaterThanOrEquals')) return cmp >= 0
  if (op.endsWith('GreaterThan')) return cmp > 0
  if (op.endsWith('LessThanOrEquals')) return cmp <= 0
  return cmp < 0
}

function toNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return x
  if (typeof x === 'string' && x.trim() !== '') {
    const n = Number(x)
    return Number.isNaN(n) ? undefined : n
  }
  return undefined
}

function numeric(key: unknown, value: unknown, op: string): boolean {
  const d = durationPair(key, value)
  if (d) return compareBy(Math.sign(d[0] - d[1]), op)
  if (typeof key === 'string') {
    const qk = parseQuantity(key)
    const qv = typeof value === 'string' ? parseQuantity(value) : undefined
    if (qk && qv) return compareBy(compareQuantity(qk, qv), op)
    const semk = semver(key)
    if (toNumber(key) === undefined && semk) {
      const semv = typeof value === 'string' ? semver(value) : undefined
      return semv !== undefined && compareBy(compareSemver(semk, semv), op)
    }
  }
  const k = toNumber(key)
  const v = toNumber(value)
  if (k === undefined || v === undefined) return false
  return compareBy(Math.sign(k - v), op)
}

function durationOp(key: unknown, value: unknown, op: string): boolean {
  const seconds = (x: unknown): number | undefined => {
    if (typeof x === 'number') return x * 1e9
    if (typeof x === 'string')
      return parseDuration(x) ?? (x.trim() !== '' && !Number.isNaN(Number(x)) ? Number(x) * 1e9 : undefined)
    return undefined
  }
  const k = seconds(key)
  const v = seconds(value)
  if (k === undefined || v === undefined) return false
  return compareBy(Math.sign(k - v), op)
}

type Semver = [number, number, number, string]
function semver(text: string): Semver | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim())
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : undefined
}

/** Compare two semantic versions (pre-releases sort before the release). */
export function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1
  if (a[3] === b[3]) return 0
  if (a[3] === '') return 1
  if (b[3] === '') return -1
  const pa = a[3].split('.')
  const pb = b[3].split('.')
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i]
    const y = pb[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (x === y) continue
    const nx = /^\d+$/.test(x)
    const ny = /^\d+$/.test(y)
    if (nx && ny) return Number(x) < Number(y) ? -1 : 1
    if (nx) return -1
    if (ny) return 1
    return x < y ? -1 : 1
  }
  return 0
}

/** Parse a semantic version (for the semver_compare function). */
export function parseSemver(text: string): Semver | undefined {
  return semver(text)
}
