import { Environment } from '@marcbachmann/cel-js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { celToJs, compileCel } from './index.js'

/**
 * Differential test against @marcbachmann/cel-js's own evaluator, over expressions
 * whose semantics both implementations define the same way (no Kubernetes libraries,
 * no string(double), no null-valued fields, ASCII case mapping only).
 */

const EXPRESSIONS = [
  'a + 1',
  'a * b - a',
  'a / (b + 1)',
  'a % 7',
  '-a',
  'a == b',
  'a < b',
  'a <= 3.5',
  'a == 3.0',
  'a == "3"',
  'd * 2.0',
  'd < a',
  's + t',
  's < t',
  'size(s)',
  's.contains(t)',
  's.startsWith("a")',
  's.endsWith(t)',
  's.matches("^[a-c]+$")',
  'a in l',
  's in l',
  '"x" in m',
  'l.all(x, x > 0)',
  'l.exists(x, x == a)',
  'l.exists_one(x, x == b)',
  'l.map(x, x * 2)',
  'l.filter(x, x % 2 == 0)',
  'm.map(k, k)',
  'm.all(k, k != "")',
  'size(l) > 2 && l[0] == a',
  'size(l) == 0 || l[0] > 0',
  'has(m.x)',
  'has(m.y) ? m.y : "none"',
  'm.x',
  'l[1]',
  'a > 0 ? a : -a',
  'type(a) == int',
  'type(s) == string',
  'int(d)',
  'double(a) / 2.0',
  'string(a)',
  'l == [1, 2]',
  'm == {"x": a}',
  'false && m.q == 1',
  'm.q == 1 || true',
  'l.all(x, x > a) || a < 0',
  'cel.bind(z, a * 2, z + b)',
  'm.?x.orValue(0)',
  'm.?q.hasValue()',
  'size(m) + size(l)',
  '[a, b].exists(x, x > 10)',
  'dyn(a) + d',
  'a + d',
]

const toCelJs = (v: unknown): unknown => {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v
  if (Array.isArray(v)) return v.map(toCelJs)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCelJs(x)]))
  return v
}

const fromCelJs = (v: unknown): unknown => {
  if (typeof v === 'bigint') return Number(v)
  if (Array.isArray(v)) return v.map(fromCelJs)
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromCelJs(x)]))
  return v
}

const small = fc.integer({ min: -20, max: 20 })
const word = fc.stringMatching(/^[a-c]{0,4}$/)
const scalar = fc.oneof(
  small,
  word,
  fc.boolean(),
  fc.double({ min: -5, max: 5, noNaN: true }).filter((d) => !Number.isInteger(d)),
)
const activation = fc.record({
  a: small,
  b: small,
  d: fc.double({ min: -5, max: 5, noNaN: true }).filter((x) => !Number.isInteger(x)),
  s: word,
  t: word,
  l: fc.oneof(fc.array(small, { maxLength: 5 }), fc.array(scalar, { maxLength: 4 })),
  m: fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.oneof(small, word), { maxKeys: 3 }),
})

type Outcome = { ok: true; value: unknown } | { ok: false }

describe('differential against @marcbachmann/cel-js', () => {
  const env = new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: true })
  const vars = ['a', 'b', 'd', 's', 't', 'l', 'm']

  it.each(EXPRESSIONS)('%s', (expr) => {
    const ours = compileCel(expr, { variables: vars })
    fc.assert(
      fc.property(activation, (act) => {
        let mine: Outcome
        if (!ours.ok) mine = { ok: false }
        else {
          try {
            mine = { ok: true, value: celToJs(ours.program(act)) }
          } catch {
            mine = { ok: false }
          }
        }
        let theirs: Outcome
        try {
          const v: unknown = env.evaluate(expr, toCelJs(act) as Record<string, unknown>)
          const plain = v !== null && typeof v === 'object' && 'hasValue' in v ? undefined : v
          theirs = { ok: true, value: fromCelJs(plain) }
        } catch {
          theirs = { ok: false }
        }
        expect(mine).toEqual(theirs)
      }),
      { numRuns: 150 },
    )
  })
})
