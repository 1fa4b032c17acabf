import { describe, expect, it } from 'vitest'
import { parseModule, RegoError, RegoProgram, toJson } from './index.js'

/** `with` replacing functions, as OPA does: by another function, or by a value every call returns. */

function value(src: string, rule: string): unknown {
  const p = new RegoProgram([{ file: 'm.rego', module: parseModule(`package t\n${src}`) }])
  const v = p.evaluate(['t', rule], undefined, {})
  return v === undefined ? undefined : toJson(v)
}

describe('with replacing functions', () => {
  it('replaces a built-in by a user function or another built-in, also in the rules it evaluates', () => {
    expect(value('mock(_) := 7\nq := count([1, 2])\np := x if { x := q with count as mock }', 'p')).toBe(7)
    expect(value('p := x if { x := upper("a") with upper as lower }', 'p')).toBe('a')
  })

  it('replaces a user function by a function or a value', () => {
    const f = 'f(x) := x + 1\ng(x) := x * 100\n'
    expect(value(`${f}p := x if { x := f(2) with f as g }`, 'p')).toBe(200)
    expect(value(`${f}p := x if { x := f(2) with f as 10 }`, 'p')).toBe(10)
    expect(value(`${f}p := x if { x := data.t.f(2) with data.t.f as 10 }`, 'p')).toBe(10)
  })

  it('replaces a function of no arguments by a value (a mocked clock)', () => {
    expect(value('p := x if { x := time.now_ns() with time.now_ns as 42 }', 'p')).toBe(42)
  })

  it('replaces nothing outside the expression it modifies, nor in rule values computed before', () => {
    const src = 'q := count([1])\np := [x, y] if { x := q with count as 3; y := q }'
    expect(value(src, 'p')).toEqual([3, 1])
  })

  it('refuses a replacement function of another arity', () => {
    expect(() => value('f(x) := x\ng(x, y) := x\np := x if { x := f(1) with f as g }', 'p')).toThrow(RegoError)
  })
})
