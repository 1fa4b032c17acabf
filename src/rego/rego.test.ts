import { describe, expect, it } from 'vitest'
import { EvalLimitError, withBudget } from '../engine/index.js'
import {
  parseModule,
  parseQuery,
  RegoError,
  RegoProgram,
  RegoSyntaxError,
  toJson,
  fromJs,
  type Value,
} from './index.js'

function program(...sources: string[]): RegoProgram {
  return new RegoProgram(sources.map((s, i) => ({ file: `m${i}.rego`, module: parseModule(s) })))
}

/** The JSON value of data.<path>, or undefined. */
function value(src: string | string[], path: string, input?: unknown, data: unknown = {}): unknown {
  const p = program(...(Array.isArray(src) ? src : [src]))
  const v = p.evaluate(path.split('.'), input === undefined ? undefined : fromJs(input), fromJs(data))
  return v === undefined ? undefined : toJson(v)
}

describe('Rego parser', () => {
  it('reads v0 partial sets and v1 contains/if as the same rule', () => {
    const v0 = 'package t\nviolation[{"msg": m}] { x := input.xs[_]; x > 1; m := sprintf("big %v", [x]) }'
    const v1 =
      'package t\nviolation contains {"msg": m} if {\n  some x in input.xs\n  x > 1\n  m := sprintf("big %v", [x])\n}'
    for (const src of [v0, v1])
      expect(value(src, 't.violation', { xs: [1, 2, 3] })).toEqual([{ msg: 'big 2' }, { msg: 'big 3' }])
  })

  it('reports a syntax error with its line and column', () => {
    expect(() => parseModule('package t\n\np {\n  x := [1, 2\n}')).toThrow(RegoSyntaxError)
    try {
      parseModule('package t\np { x := "unterminated }')
    } catch (error) {
      expect((error as RegoSyntaxError).line).toBe(2)
    }
  })

  it('separates literals by new lines but continues an operator at the end of a line', () => {
    expect(value('package t\np := x if {\n  x := 1 +\n    2\n}', 't.p')).toBe(3)
  })
})

describe('Rego semantics', () => {
  it('distinguishes undefined from false, and default fills undefined only', () => {
    const src = 'package t\ndefault allow := false\nallow if input.ok == true\nq if input.missing'
    expect(value(src, 't.allow', { ok: true })).toBe(true)
    expect(value(src, 't.allow', {})).toBe(false)
    expect(value(src, 't.q', {})).toBeUndefined()
  })

  it('negation succeeds when its expression is undefined or false', () => {
    const src = 'package t\np if not input.x\nq if not input.y == 1'
    expect(value(src, 't.p', {})).toBe(true)
    expect(value(src, 't.p', { x: false })).toBe(true)
    expect(value(src, 't.p', { x: 1 })).toBeUndefined()
    expect(value(src, 't.q', { y: 2 })).toBe(true)
  })

  it('partial objects, functions with several definitions, else chains', () => {
    const src = `package t
ports[c.name] := c.port if { c := input.cs[_] }
size(x) := "small" if x < 10
size(x) := "big" if x >= 10
grade(x) := "a" if { x > 90 } else := "b" if { x > 50 } else := "c"
s := size(input.n)
g := grade(input.n)`
    expect(
      value(src, 't.ports', {
        cs: [
          { name: 'a', port: 1 },
          { name: 'b', port: 2 },
        ],
        n: 3,
      }),
    ).toEqual({ a: 1, b: 2 })
    expect(value(src, 't.s', { n: 3, cs: [] })).toBe('small')
    expect(value(src, 't.g', { n: 60, cs: [] })).toBe('b')
    expect(value(src, 't.g', { n: 1, cs: [] })).toBe('c')
  })

  it('raises a conflict when a complete rule has two values', () => {
    const p = program('package t\np := 1 if input.a\np := 2 if input.b')
    expect(() => p.evaluate(['t', 'p'], fromJs({ a: true, b: true }), {})).toThrow(RegoError)
    expect(toJson(p.evaluate(['t', 'p'], fromJs({ a: true }), {}) as Value)).toBe(1)
  })

  it('every, some-in, comprehensions and unification of arrays', () => {
    const src = `package t
all_named if every c in input.cs { c.name != "" }
names := {n | some c in input.cs; n := c.name}
pairs := [[i, c.name] | c := input.cs[i]]
first := n if [n, _] = pairs[0]`
    const input = { cs: [{ name: 'a' }, { name: 'b' }] }
    expect(value(src, 't.all_named', input)).toBe(true)
    expect(value(src, 't.all_named', { cs: [{ name: '' }] })).toBeUndefined()
    expect(value(src, 't.names', input)).toEqual(['a', 'b'])
    expect(value(src, 't.pairs', input)).toEqual([
      [0, 'a'],
      [1, 'b'],
    ])
    expect(value(src, 't.first', input)).toBe(0)
  })

  it('orders literals so reads follow bindings, as OPA does', () => {
    const src = 'package t\nflat := concat(",", sort([s | s = concat(":", [k, v]); v = input.sel[k]]))'
    expect(value(src, 't.flat', { sel: { b: '2', a: '1' } })).toBe('a:1,b:2')
  })

  it('with replaces input and data for one expression', () => {
    const src =
      'package t\np := input.x\nq := y if y := p with input.x as 7\nr := data.cfg.v\ns := z if z := r with data.cfg.v as 9'
    expect(value(src, 't.q', { x: 1 })).toBe(7)
    expect(value(src, 't.s', {}, { cfg: { v: 1 } })).toBe(9)
  })

  it('libraries are imported by path, and data mixes base documents with rules', () => {
    const lib = 'package lib.helpers\nis_update(r) { r.operation == "UPDATE" }'
    const main =
      'package t\nimport data.lib.helpers\np { helpers.is_update(input.review) }\nn := count(data.inventory.items)'
    expect(value([main, lib], 't.p', { review: { operation: 'UPDATE' } })).toBe(true)
    expect(value([main, lib], 't.n', {}, { inventory: { items: [1, 2] } })).toBe(2)
  })

  it('answers queries with their variable bindings', () => {
    const p = program('package t\nq contains x if { x := input.xs[_] }')
    const q = p.query(parseQuery('data.t.q[x]; x > 1'))
    expect(q.run(fromJs({ xs: [1, 2, 3] }), {}).map((r) => toJson(r as Value))).toEqual([{ x: 2 }, { x: 3 }])
  })

  it('built-in errors make the expression undefined unless strict', () => {
    const p = program('package t\np := to_number(input.s)')
    expect(p.evaluate(['t', 'p'], fromJs({ s: 'abc' }), {})).toBeUndefined()
    expect(() => p.evaluate(['t', 'p'], fromJs({ s: 'abc' }), {}, true)).toThrow(RegoError)
  })

  it('stops a runaway evaluation at the cost limit: an error, never a hang or a pass', () => {
    const p = program(
      'package t\nviolation contains x if { some a in numbers.range(1, 2000); some b in numbers.range(1, 2000); x := a * b; false }',
    )
    const limits = { cost: 100_000, timeoutMs: 0, clock: () => 0 }
    expect(() => withBudget(limits, () => p.evaluate(['t', 'violation'], {}, {}))).toThrow(EvalLimitError)
  })
})

describe('Rego built-ins', () => {
  const cases: [string, unknown][] = [
    ['sprintf("%v/%s %d %.2f", ["a", "b", 3, 1.5])', 'a/b 3 1.50'],
    ['sprintf("%v", [["x", 1]])', '["x", 1]'],
    ['regex.match("^ab+c$", "abbbc")', true],
    ['glob.match("*.example.com", ["."], "a.example.com")', true],
    ['glob.match("*.example.com", ["."], "a.b.example.com")', false],
    ['glob.match("**.example.com", ["."], "a.b.example.com")', true],
    ['units.parse_bytes("1Gi")', 1073741824],
    ['units.parse("100m")', 0.1],
    ['semver.compare("1.2.3", "1.10.0")', -1],
    ['strings.any_prefix_match("docker.io/nginx", ["quay.io/", "docker.io/"])', true],
    ['object.get({"a": {"b": 1}}, ["a", "b"], 0)', 1],
    ['json.unmarshal("{\\"a\\": [1]}")', { a: [1] }],
    ['trim_suffix("nginx:latest", ":latest")', 'nginx'],
    ['count({1, 2, 2})', 2],
    ['{1, 2} | {3}', [1, 2, 3]],
    ['{1, 2, 3} - {2}', [1, 3]],
    ['split("a,b", ",")', ['a', 'b']],
    ['startswith("abc", "ab")', true],
    ['max([3, 9, 1])', 9],
    ['type_name({})', 'object'],
  ]
  it.each(cases)('%s', (expr, want) => {
    expect(value(`package t\np := ${expr}`, 't.p')).toEqual(want)
  })
})

describe('Rego on hostile input', () => {
  it('a "__proto__" key is a key, not a prototype', () => {
    expect(value('package t\np := {"__proto__": {"polluted": true}}', 't.p')).toEqual(
      JSON.parse('{"__proto__": {"polluted": true}}'),
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('print takes any arguments and never fails the rule', () => {
    expect(value('package t\np if { print("x", input.y); true }', 't.p', {})).toBe(true)
  })

  it('refuses a sprintf width that would allocate gigabytes', () => {
    const p = program('package t\np := sprintf("%999999999d", [1])')
    expect(p.evaluate(['t', 'p'], undefined, {})).toBeUndefined()
    expect(() => p.evaluate(['t', 'p'], undefined, {}, true)).toThrow(/width/)
  })

  it('a recursive rule is an error, not a stack overflow', () => {
    const p = program('package t\np := q\nq := p')
    expect(() => p.evaluate(['t', 'p'], undefined, {})).toThrow(RegoError)
  })
})
