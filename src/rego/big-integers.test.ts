import { describe, expect, it } from 'vitest'
import { parseModule, RegoProgram, toJson } from './index.js'

/** Integer literals beyond 2^53 stay exact, as OPA's arbitrary-precision numbers do. */

function value(src: string, rule: string): unknown {
  const p = new RegoProgram([{ file: 'm.rego', module: parseModule(`package t\n${src}`) }])
  const v = p.evaluate(['t', rule], undefined, {})
  return v === undefined ? undefined : toJson(v)
}

describe('integers beyond 2^53', () => {
  it('print exactly in sprintf (%s, %v, %d), negative ones too', () => {
    expect(value('p := sprintf("%s", [123456789123456789123])', 'p')).toBe('123456789123456789123')
    expect(value('p := sprintf("%v/%d", [1208925819614629174706175, -9007199254740993])', 'p')).toBe(
      '1208925819614629174706175/-9007199254740993',
    )
  })

  it('are numbers: typed, compared, equal only to the same integer, members of sets', () => {
    expect(value('p := type_name(123456789123456789123)', 'p')).toBe('number')
    expect(value('p { is_number(123456789123456789123) }', 'p')).toBe(true)
    expect(value('p { 123456789123456789123 > 1 }', 'p')).toBe(true)
    expect(value('p { 123456789123456789123 == 123456789123456789123 }', 'p')).toBe(true)
    expect(value('p { 123456789123456789123 == 123456789123456789124 }', 'p')).toBeUndefined()
    expect(value('p { 9007199254740993 in {9007199254740993, 1} }', 'p')).toBe(true)
  })

  it('are computed with as JavaScript numbers (arithmetic, built-ins)', () => {
    expect(value('p := 123456789123456789123 + 1', 'p')).toBe(Number(123456789123456789123n) + 1)
    expect(value('p := abs(-9007199254740993)', 'p')).toBe(9007199254740992)
    expect(value('p := sum([123456789123456789123, 1])', 'p')).toBe(Number(123456789123456789123n) + 1)
  })
})
