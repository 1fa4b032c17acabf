import { describe, expect, it } from 'vitest'
import { runCases } from './cases.test-support.js'
import { CelEvalError, compileCel } from './index.js'

const act = {
  l: [1, 2, 3],
  m: { a: 1, b: 2 },
  cs: [{ name: 'a', ports: [80, 443] }, { name: 'b' }],
  mixed: [1, 'x', 3],
}

describe('comprehension macros', () => {
  runCases(
    [
      ['l.all(x, x > 0)', true],
      ['l.all(x, x > 1)', false],
      ['[].all(x, false)', true],
      ['l.exists(x, x == 2)', true],
      ['l.exists(x, x == 5)', false],
      ['["NET_RAW", "ALL"].exists(d, d == "ALL")', true],
      ['mixed.exists(x, "x" == x)', true],
      ['mixed.exists(x, x == "y")', false],
      ['[1, null].exists(x, x == null)', true],
      ['[false].exists(x, x == true)', false],
      { expr: 'dyn("abc").exists(x, x == "a")', error: /cannot iterate over a value of type 'string'/ },
      ['[].exists(x, true)', false],
      ['l.exists_one(x, x > 2)', true],
      ['l.exists_one(x, x > 1)', false],
      ['l.existsOne(x, x == 1)', true],
      ['l.map(x, x * 2)', [2, 4, 6]],
      ['l.map(x, x > 1, x * 10)', [20, 30]],
      ['l.filter(x, x % 2 == 1)', [1, 3]],
      ['m.all(k, m[k] > 0)', true],
      ['m.map(k, k)', ['a', 'b']],
      ["m.exists(k, k == 'b')", true],
      ['m.filter(k, m[k] > 1)', ['b']],
      ['cs.map(c, c.name)', ['a', 'b']],
      ['cs.filter(c, has(c.ports)).map(c, c.ports.size())', [2]],
      ['cs.exists(c, c.?ports.orValue([]).exists(p, p == 443))', true],
      [
        'l.map(x, l.map(y, x * y))',
        [
          [1, 2, 3],
          [2, 4, 6],
          [3, 6, 9],
        ],
      ],
      ['l.all(x, l.exists(y, y == x))', true],
      ['[1.5, 2.0].map(x, x * 2.0)', [3, 4]],
      ['type([1.0].map(x, x * 2.0)[0])', 'double'],
      // Two-variable forms: index/value for lists, key/value for maps.
      ['l.all(i, v, v == i + 1)', true],
      ['m.exists(k, v, k == "b" && v == 2)', true],
      ['l.exists_one(i, v, i == 0 && v == 1)', true],
      ['l.transformList(i, v, i * v)', [0, 2, 6]],
      ['l.transformList(i, v, i > 0, v)', [2, 3]],
      // Errors inside all/exists follow CEL's absorption rules.
      ['mixed.exists(x, x == 3)', true],
      ['mixed.all(x, x > 5)', false],
      ['mixed.exists(x, x > 2)', true],
      { expr: 'mixed.all(x, x > 0)', error: /no matching overload for '_>_'/ },
      { expr: 'mixed.exists(x, x > 5)', error: /no matching overload for '_>_'/ },
      { expr: 'mixed.exists_one(x, x > 2)', error: /no matching overload/ },
      { expr: 'mixed.map(x, x + 1)', error: /no matching overload/ },
      { expr: 'l.all(x, x)', error: /no matching overload for 'all'/ },
      { expr: '"abc".all(x, true)', compileError: /cannot iterate over string/ },
      { expr: 'dyn("abc").all(x, true)', error: /cannot iterate over a value of type 'string'/ },
      { expr: 'l.all(x, 1)', compileError: /predicate must be a bool/ },
      { expr: 'l.all(x)', compileError: /undeclared reference to 'all'|no matching overload/ },
      { expr: 'x', compileError: /undeclared reference to 'x'/ },
      { expr: 'l.all(x, x > 0) && x > 0', compileError: /undeclared reference to 'x'/ },
    ],
    { act },
  )
})

describe('cel.bind', () => {
  runCases(
    [
      ["cel.bind(a, 'hello', a + a)", 'hellohello'],
      ['cel.bind(a, 1, cel.bind(b, a + 1, a + b))', 3],
      ['cel.bind(x, l, x.map(y, y + 1))', [2, 3, 4]],
      ['cel.bind(sc, m.?c, sc.hasValue() && sc.value() > 0)', false],
      // The initialiser runs only when the variable is used.
      ['cel.bind(v, m.missing, false && v == 1)', false],
      ['cel.bind(v, 2.0, type(v))', 'double'],
      ['cel.bind(l, [9], l[0])', 9],
      ['l.map(x, cel.bind(y, x * 2, y + 1))', [3, 5, 7]],
      { expr: 'cel.bind(v, m.missing, v == 1)', error: /no such key: missing/ },
    ],
    { act },
  )
})

describe('cost limit', () => {
  it('fails an evaluation that exceeds the limit, and is not absorbed', () => {
    const r = compileCel('l.all(x, l.all(y, l.all(z, true))) || l.size() > 0', { variables: ['l'], costLimit: 100 })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const l = Array.from({ length: 10 }, (_, i) => i)
    expect(() => r.program({ l })).toThrow(CelEvalError)
    expect(() => r.program({ l })).toThrow(/cost limit exceeded/)
    expect(r.program({ l: [1, 2] })).toBe(true)
  })

  it('stops a hostile expression with the default limit', () => {
    const r = compileCel('l.map(a, l.map(b, l.map(c, l.map(d, a + b + c + d)))).size() > 0', { variables: ['l'] })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const l = Array.from({ length: 100 }, (_, i) => i)
    expect(() => r.program({ l })).toThrow(/cost limit exceeded \(1000000 steps\)/)
  })

  it('charges for large string and list results', () => {
    const big = 'y'.repeat(100_000)
    const r2 = compileCel('l.all(i, (s + s).size() > 0)', { variables: ['l', 's'], costLimit: 1000 })
    if (!r2.ok) return
    expect(() => r2.program({ l: Array.from({ length: 20 }, () => 0), s: big })).toThrow(/cost limit exceeded/)
  })
})
