/**
 * Kyverno wildcard matching and the operators that use it (AnyIn, AllIn, AnyNotIn,
 * AllNotIn, Equals) under adversarial patterns: runs of `*` and `?` mixed with literals,
 * against inputs up to 1,000 characters. Each evaluation must stay under 10 ms of this
 * process's CPU time (the best of five runs: CPU time, not wall time, so that other processes
 * on a busy 2-core CI machine are not counted; a backtracking matcher takes seconds of CPU
 * time on these inputs, so the bound still tells linear from exponential), and the matcher must agree
 * with a plain recursive definition of the semantics on small inputs.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluateOperator, type ConditionOperator } from '../../src/compat/kyverno/operators.js'
import { wildcardMatch } from '../../src/compat/shared/wildcard.js'

/** Kyverno's semantics, defined directly: `*` any run of code points, `?` exactly one, the rest itself. */
function reference(pattern: readonly string[], text: readonly string[]): boolean {
  if (pattern.length === 0) return text.length === 0
  const [head, ...rest] = pattern
  if (head === '*') return reference(rest, text) || (text.length > 0 && reference(pattern, text.slice(1)))
  if (text.length === 0) return false
  return (head === '?' || head === text[0]) && reference(rest, text.slice(1))
}

const LIMIT_MS = 10
const worst = { ms: 0, what: '' }

/** Best of five runs of `f`, in milliseconds of this process's CPU time (user + system). */
function timed<T>(f: () => T): { value: T; ms: number } {
  let best = Infinity
  let value!: T
  for (let i = 0; i < 5; i++) {
    const start = process.cpuUsage()
    value = f()
    const used = process.cpuUsage(start)
    best = Math.min(best, (used.user + used.system) / 1000)
  }
  return { value, ms: best }
}

function within(what: string, f: () => unknown): void {
  const { ms } = timed(f)
  if (ms > worst.ms) Object.assign(worst, { ms, what })
  expect(ms, `${what} took ${ms.toFixed(1)} ms`).toBeLessThan(LIMIT_MS)
}

const token = fc.constantFrom('*', '?', '*?', '?*', '**', 'a', 'b', 'ab', '-', '!', '😀', '/')
const hostilePattern = fc.array(token, { maxLength: 400 }).map((t) => t.join('').slice(0, 1000))
const text = fc
  .array(fc.constantFrom('a', 'b', 'a', '-', '/', '😀', '*', '?'), { maxLength: 1000 })
  .map((t) => t.join(''))
const repeated = fc
  .record({
    unit: fc.constantFrom('*?', '?*', '*a', 'a*', '*', '*?a', '**?'),
    times: fc.integer({ min: 1, max: 300 }),
    tail: fc.constantFrom('', '!', 'b', '?!'),
    n: fc.integer({ min: 0, max: 1000 }),
    c: fc.constantFrom('a', 'ab', '😀'),
  })
  .map(({ unit, times, tail, n, c }) => ({
    pattern: `${unit.repeat(times)}${tail}`.slice(0, 1000),
    text: c.repeat(n).slice(0, 1000),
  }))
/** A star then a long literal that almost matches everywhere: the matcher's O(pattern × text) worst case. */
const nearMiss = fc
  .record({
    k: fc.integer({ min: 1, max: 500 }),
    stars: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ k, stars, n }) => ({
    pattern: `${'*'.repeat(stars)}${'a'.repeat(k)}b`.slice(0, 1000),
    text: 'a'.repeat(n),
  }))
const SET_OPERATORS: readonly ConditionOperator[] = ['AnyIn', 'AllIn', 'AnyNotIn', 'AllNotIn', 'Equals', 'NotEquals']

describe('Kyverno wildcard matching under adversarial patterns', () => {
  it('agrees with the recursive definition on small inputs', () => {
    const small = fc.array(fc.constantFrom('*', '?', 'a', 'b', '😀'), { maxLength: 8 })
    const smallText = fc.array(fc.constantFrom('a', 'b', '😀', '*', '?'), { maxLength: 10 })
    fc.assert(
      fc.property(small, smallText, (p, t) => {
        expect(wildcardMatch(p.join(''), t.join(''))).toBe(reference(p, t))
      }),
      { numRuns: 5000 },
    )
  })

  it('matches runs of * and ? mixed with literals against 1,000-character inputs in under 10 ms', () => {
    fc.assert(
      fc.property(hostilePattern, text, (p, t) =>
        within(`wildcardMatch(${JSON.stringify(p.slice(0, 40))}…, ${t.length} chars)`, () => wildcardMatch(p, t)),
      ),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(repeated, ({ pattern, text: t }) =>
        within(`wildcardMatch(${JSON.stringify(pattern.slice(0, 40))}…, ${t.length} chars)`, () =>
          wildcardMatch(pattern, t),
        ),
      ),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(nearMiss, ({ pattern, text: t }) =>
        within(`wildcardMatch(${JSON.stringify(pattern.slice(0, 40))}…, ${t.length} chars)`, () =>
          wildcardMatch(pattern, t),
        ),
      ),
      { numRuns: 100 },
    )
  })

  it('evaluates AnyIn, AllIn, AnyNotIn, AllNotIn and Equals with hostile keys and values in under 10 ms', () => {
    const side = fc.oneof(
      hostilePattern,
      repeated.map((r) => r.pattern),
      nearMiss.map((r) => r.pattern),
      text,
    )
    fc.assert(
      fc.property(
        fc.constantFrom(...SET_OPERATORS),
        fc.array(side, { minLength: 1, maxLength: 4 }),
        fc.array(side, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (op, keys, values, scalar) => {
          const key = scalar || op === 'Equals' || op === 'NotEquals' ? keys[0] : keys
          const value = op === 'Equals' || op === 'NotEquals' ? values[0] : values
          within(`${op} over ${keys.length}×${values.length} strings`, () => evaluateOperator(op, key, value))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('reports the worst case seen', () => {
    // Not an assertion on speed beyond the per-evaluation limit above: a record for docs.
    console.log(`wildcard fuzz worst case: ${worst.ms.toFixed(2)} ms (${worst.what})`)
    expect(worst.ms).toBeLessThan(LIMIT_MS)
  })
})
