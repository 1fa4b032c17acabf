import { isRecord } from '../../core/index.js'
import { parseDuration } from './duration.js'
import { compareQuantity, parseQuantity } from './quantity.js'
import { wildcardMatch } from '../shared/wildcard.js'

/** Operators of a string pattern, as Kyverno reads them from its prefix. */
export type PatternOperator = '' | '>=' | '<=' | '>' | '<' | '!' | 'range' | '!range'

const RANGE = /^([-+]?\d+(?:\.\d+)?[A-Za-z]*)-([-+]?\d+(?:\.\d+)?[A-Za-z]*)$/
const NOT_RANGE = /^([-+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-+]?\d+(?:\.\d+)?[A-Za-z]*)$/

/** The operator a string pattern starts with (Kyverno's GetOperatorFromStringPattern). */
export function operatorOf(pattern: string): PatternOperator {
  if (pattern.length < 2) return ''
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op
  if (NOT_RANGE.test(pattern)) return '!range'
  if (RANGE.test(pattern)) return 'range'
  return ''
}

/**
 * Does a scalar (or map) resource value satisfy a pattern leaf? Strings may combine
 * alternatives with `|` and conjunctions with `&`, use the operators > >= < <= !, ranges
 * `a-b` and `a!-b`, wildcards `*` `?`; durations and quantities compare by value.
 */
export function matchValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === 'boolean') return value === pattern
  if (typeof pattern === 'number') return matchNumber(value, pattern)
  if (pattern === null || pattern === undefined) {
    return value === null || value === undefined || value === 0 || value === '' || value === false
  }
  if (typeof pattern === 'string') return matchStringPattern(value, pattern)
  if (isRecord(pattern)) return isRecord(value)
  return false
}

function matchNumber(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern
  if (typeof value === 'string') {
    if (Number.isInteger(pattern)) return /^[+-]?\d+$/.test(value) && Number(value) === pattern
    const n = Number(value)
    return value.trim() !== '' && !Number.isNaN(n) && n === pattern
  }
  return false
}

function matchStringPattern(value: unknown, pattern: string): boolean {
  if (value === pattern) return true
  return pattern.split('|').some((alt) =>
    alt
      .trim()
      .split('&')
      .every((part) => matchOne(value, part.trim())),
  )
}

function matchOne(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern)
  if (op === 'range') {
    const [, lo, hi] = RANGE.exec(pattern) as unknown as [string, string, string]
    return matchOne(value, `>= ${lo}`) && matchOne(value, `<= ${hi}`)
  }
  if (op === '!range') {
    const [, lo, hi] = NOT_RANGE.exec(pattern) as unknown as [string, string, string]
    return matchOne(value, `< ${lo}`) || matchOne(value, `> ${hi}`)
  }
  const operand = pattern.slice(op.length).trim()
  return (
    compareDuration(value, operand, op) || compareQuantity_(value, operand, op) || compareString(value, operand, op)
  )
}

function numberToString(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0'
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6)
  return undefined
}

function byOperator(cmp: number, op: PatternOperator): boolean {
  switch (op) {
    case '':
      return cmp === 0
    case '!':
      return cmp !== 0
    case '>':
      return cmp > 0
    case '<':
      return cmp < 0
    case '>=':
      return cmp >= 0
    case '<=':
      return cmp <= 0
    default:
      return false
  }
}

function compareDuration(value: unknown, pattern: string, op: PatternOperator): boolean {
  const p = parseDuration(pattern)
  const text = numberToString(value)
  if (p === undefined || text === undefined) return false
  const v = parseDuration(text)
  if (v === undefined) return false
  return byOperator(Math.sign(v - p), op)
}

function compareQuantity_(value: unknown, pattern: string, op: PatternOperator): boolean {
  const p = parseQuantity(pattern)
  const text = numberToString(value)
  if (p === undefined || text === undefined) return false
  const v = parseQuantity(text)
  if (v === undefined) return false
  return byOperator(compareQuantity(v, p), op)
}

/** Go's strconv.FormatFloat(v, 'E', -1, 64). */
function goFloatE(v: number): string {
  const [mantissa, exponent = '0'] = v.toExponential().split('e')
  const exp = Number(exponent)
  return `${(mantissa as string).toUpperCase()}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}

function compareString(value: unknown, pattern: string, op: PatternOperator): boolean {
  if (op !== '' && op !== '!') return false
  let text: string
  if (typeof value === 'string') text = value
  else if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : goFloatE(value)
  else if (typeof value === 'boolean') text = String(value)
  else return false
  const matched = wildcardMatch(pattern, text)
  return op === '!' ? !matched : matched
}
