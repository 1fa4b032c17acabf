import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CelEvalError, celToJs, compileCel } from './index.js'

const VARS = ['a', 'b', 'c']

/** Random expressions built from CEL syntax, so that many of them compile. */
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => {
  const e = tie('e')
  const leaf = fc.oneof(
    fc.constantFrom('a', 'b', 'c', 'a.x', 'b.y.z', "c['k']", 'a[0]', 'null', 'true', 'false', '[]', '{}'),
    fc.integer({ min: -5, max: 5 }).map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }).map((d) => `${d.toFixed(2)}`),
    fc.constantFrom('"x"', "'ab'", '""', '1u', "b'q'", '9223372036854775807', '-9223372036854775808', '1e300'),
  )
  const unary = fc
    .tuple(
      fc.constantFrom(
        '!%',
        '-%',
        'size(%)',
        'has(%.q)',
        '%.?q',
        'type(%)',
        'string(%)',
        'int(%)',
        'double(%)',
        'uint(%)',
        'dyn(%)',
        '%.orValue(1)',
        '%.hasValue()',
        '[%]',
        "{'k': %}",
        'quantity(%)',
        '%.value()',
        'bytes(%)',
        'duration(%)',
        'timestamp(%)',
      ),
      e,
    )
    .map(([t, x]) => t.replace('%', `(${x})`))
  const binary = fc
    .tuple(e, fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||', 'in'), e)
    .map(([x, op, y]) => `(${x}) ${op} (${y})`)
  const call = fc
    .tuple(
      e,
      fc.constantFrom(
        'contains',
        'startsWith',
        'matches',
        'split',
        'indexOf',
        'substring',
        'charAt',
        'find',
        'join',
        'format',
        'sum',
        'min',
        'isSorted',
        'lastIndexOf',
        'replace',
      ),
      e,
    )
    .map(([x, f, y]) =>
      f === 'format'
        ? `(${x}).format([${y}])`
        : f === 'join' || f === 'sum' || f === 'min' || f === 'isSorted'
          ? `(${x}).${f}()`
          : `(${x}).${f}(${y})`,
    )
  const other = fc.oneof(
    fc.tuple(e, e).map(([x, y]) => `(${x})[${y}]`),
    fc.tuple(e, e, e).map(([x, y, z]) => `(${x}) ? (${y}) : (${z})`),
    fc
      .tuple(fc.constantFrom('all', 'exists', 'exists_one', 'map', 'filter'), e, e)
      .map(([m, x, y]) => `(${x}).${m}(v, ${y.replace(/\ba\b/, 'v')})`),
    fc.tuple(e, e).map(([x, y]) => `cel.bind(w, ${x}, ${y.replace(/\bb\b/, 'w')})`),
  )
  return { e: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, unary, binary, call, other) }
}).e

/** JSON-like values, the shape activations have. */
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      null,
      true,
      false,
      0,
      1,
      -1,
      2.5,
      'x',
      '',
      'k',
      '1Gi',
      '2023-01-01T00:00:00Z',
      '1h',
      2 ** 53 + 2,
      2 ** 64,
      -(2 ** 63),
    ),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'z', 'k', 'q', '0', '__proto__', 'constructor'), tie('v'), { maxKeys: 4 }),
  ),
})).v

describe('properties', () => {
  it('compileCel never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = compileCel(text, { variables: VARS })
        expect(typeof r.ok).toBe('boolean')
      }),
      { numRuns: 2000 },
    )
  })

  it('compileCel never throws on CEL-like text', () => {
    const tokens = fc.array(
      fc.constantFrom(
        'a',
        '.',
        '?',
        '[',
        ']',
        '(',
        ')',
        '{',
        '}',
        ',',
        ':',
        '1',
        '"s"',
        '+',
        '-',
        '!',
        '&&',
        '||',
        'in',
        'has',
        'all',
        'x',
        '==',
        '<',
        'cel',
        'bind',
        'optional',
        'of',
        ' ',
      ),
      { maxLength: 30 },
    )
    fc.assert(
      fc.property(tokens, (parts) => {
        const r = compileCel(parts.join(''), { variables: VARS })
        expect(typeof r.ok).toBe('boolean')
      }),
      { numRuns: 3000 },
    )
  })

  it('programs throw nothing but CelEvalError on arbitrary activations', () => {
    let compiled = 0
    fc.assert(
      fc.property(expression, json, json, json, (expr, a, b, c) => {
        const r = compileCel(expr, { variables: VARS })
        if (!r.ok) return
        compiled++
        try {
          celToJs(r.program({ a, b, c }))
        } catch (error) {
          if (!(error instanceof CelEvalError)) throw error
        }
      }),
      { numRuns: 3000 },
    )
    expect(compiled).toBeGreaterThan(300)
  })

  it('deep nesting is a compile error, not a crash', () => {
    const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`
    expect(compileCel(deep, { variables: [] }).ok).toBe(false)
    const long = Array.from({ length: 3000 }, () => 'a').join(' + ')
    const r = compileCel(long, { variables: ['a'] })
    expect(r.ok).toBe(false)
  })
})
