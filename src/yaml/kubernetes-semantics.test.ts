import { describe, expect, it } from 'vitest'
import { parseManifests } from './index.js'

/** The value of `v` in a one-line document `v: <text>`. */
function valueOf(text: string): unknown {
  const { documents, diagnostics } = parseManifests(`v: ${text}\n`, 't.yaml')
  expect(diagnostics).toEqual([])
  return (documents[0]?.object as { v: unknown }).v
}

function objectOf(text: string): unknown {
  const { documents, diagnostics } = parseManifests(text, 't.yaml')
  expect(diagnostics).toEqual([])
  return documents[0]?.object
}

// Expected values are what kubectl gets: sigs.k8s.io/yaml on go-yaml v2 (resolve.go).
describe('scalars read as go-yaml v2 reads them', () => {
  it.each(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'])('%s is true', (text) => {
    expect(valueOf(text)).toBe(true)
  })

  it.each(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'])('%s is false', (text) => {
    expect(valueOf(text)).toBe(false)
  })

  it.each(['yES', 'oN', 'TRue', 'nO', 'yess', 'onn'])('%s (not a listed spelling) is a string', (text) => {
    expect(valueOf(text)).toBe(text)
  })

  it.each(['~', 'null', 'Null', 'NULL', ''])('"%s" is null', (text) => {
    expect(valueOf(text)).toBeNull()
  })

  it.each([
    ['0644', 420],
    ['0o17', 15],
    ['0O17', 15],
    ['-0644', -420],
    ['0x1F', 31],
    ['0X1f', 31],
    ['+0x1F', 31],
    ['0b101', 5],
    ['-0b101', -5],
    ['0B11', 3],
    ['1_000', 1000],
    ['+12', 12],
    ['-0', 0],
    ['0', 0],
    ['9007199254740993', Number('9007199254740993')],
    ['18446744073709551615', Number('18446744073709551615')],
  ])('%s is the integer %d', (text, expected) => {
    expect(valueOf(text)).toBe(expected)
  })

  it.each([
    ['1.5', 1.5],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['+1.5e+3', 1500],
    ['1e-3', 0.001],
    ['08', 8],
    ['09.50', 9.5],
    ['1_0.5', 10.5],
    ['18446744073709551616', 18446744073709551616],
  ])('%s is the float %d', (text, expected) => {
    expect(valueOf(text)).toBe(expected)
  })

  it.each([
    ['.inf', Infinity],
    ['.Inf', Infinity],
    ['+.INF', Infinity],
    ['-.inf', -Infinity],
  ])('%s is infinite', (text, expected) => {
    expect(valueOf(text)).toBe(expected)
  })

  it('.nan is NaN', () => {
    expect(valueOf('.nan')).toBeNaN()
  })

  it.each([
    ['1e5', 'an exponent without its sign'],
    ['1e+400', 'a float out of range'],
    ['0x1FFFFFFFFFFFFFFFFF', 'a hexadecimal integer past 64 bits'],
    ['12:30', 'base 60, dropped by go-yaml v2'],
    ['1:20:30.5', 'base 60 float'],
    ['2001-12-14', 'a date: timestamps stay strings'],
    ['2001-12-14T21:59:43.10-05:00', 'a timestamp'],
    ['0x', 'a bare prefix'],
    ['_1', 'a leading underscore'],
    ['1.', 'a trailing dot'],
    ['+', 'a sign alone'],
    ['.', 'a dot alone'],
    ['<<', 'the merge key as a value'],
  ])('%s is a string (%s)', (text) => {
    expect(valueOf(text)).toBe(text)
  })

  it.each([
    ['"yes"', 'yes'],
    ["'0644'", '0644'],
    ['"~"', '~'],
    ['!!str 0644', '0644'],
    ['!!str yes', 'yes'],
    ['!!int "12"', 12],
    ['!!int 0x10', 16],
    ['!!float 1', 1],
    ['!!bool "on"', true],
    ['!!null ""', null],
    ['!!timestamp 2001-12-14', '2001-12-14'],
    ['!!binary aGVsbG8=', 'hello'],
    ['!custom 12', '12'],
    ['! 12', '12'],
    ['!<tag:example.com,2000:x> yes', 'yes'],
  ])('%s is %j', (text, expected) => {
    expect(valueOf(text)).toEqual(expected)
  })

  it('ignores unknown tags on collections and reads !!set as a mapping of nulls', () => {
    expect(objectOf('a: !custom {b: 1}\nc: !!omap [d]\ne: !!set {f, g}\n')).toEqual({
      a: { b: 1 },
      c: ['d'],
      e: { f: null, g: null },
    })
  })

  it('turns keys into strings as sigs.k8s.io/yaml does', () => {
    expect(objectOf('on: 1\nno: 2\n0644: 3\n1.5: 4\n"quoted": 5\n~: 6\n')).toEqual({
      true: 1,
      false: 2,
      420: 3,
      '1.5': 4,
      quoted: 5,
      null: 6,
    })
  })

  it('reads the keys y and n as booleans too (a known kubectl surprise)', () => {
    expect(objectOf('y: 1\nn: 2\n')).toEqual({ true: 1, false: 2 })
  })

  it.each([
    ['!!int abc', 'an !!int that is not an integer'],
    ['!!bool maybe', 'a !!bool that is not a boolean'],
    ['!!binary "not base64!"', 'invalid base64'],
  ])('reports %s', (text) => {
    const { documents, diagnostics } = parseManifests(`v: ${text}\n`, 't.yaml')
    expect(documents).toEqual([])
    expect(diagnostics).toMatchObject([{ code: 'YAML_SYNTAX', span: { start: { line: 1, column: 4 } } }])
  })
})

describe('merge keys', () => {
  const base = 'base: &base\n  image: nginx\n  pull: Always\nextra: &extra\n  pull: Never\n  port: 80\n'

  it('merges an anchored mapping, explicit keys winning wherever they are written', () => {
    expect(objectOf(`${base}a:\n  <<: *base\n  image: redis\nb:\n  image: redis\n  <<: *base\n`)).toMatchObject({
      a: { image: 'redis', pull: 'Always' },
      b: { image: 'redis', pull: 'Always' },
    })
  })

  it('merges a list of mappings, the first one winning', () => {
    expect(objectOf(`${base}a:\n  <<: [*extra, *base]\n`)).toMatchObject({
      a: { pull: 'Never', port: 80, image: 'nginx' },
    })
  })

  it('merges an inline mapping', () => {
    expect(objectOf('a:\n  <<: {x: 1}\n  z: 2\n')).toEqual({ a: { x: 1, z: 2 } })
  })

  it('treats a quoted "<<" as an ordinary key', () => {
    expect(objectOf('"<<": {x: 1}\n')).toEqual({ '<<': { x: 1 } })
  })

  it('reports merging a scalar', () => {
    expect(parseManifests('a: &a 1\nb:\n  <<: *a\n', 't.yaml').diagnostics).toMatchObject([
      { code: 'YAML_SYNTAX', span: { start: { line: 3 } } },
    ])
  })
})

describe('aliases', () => {
  it('share the anchored value', () => {
    expect(objectOf('a: &x [1, 2]\nb: *x\n')).toEqual({ a: [1, 2], b: [1, 2] })
  })

  it('use the latest definition of a redefined anchor', () => {
    expect(objectOf('a: &x 1\nb: &x 2\nc: *x\n')).toEqual({ a: 1, b: 2, c: 2 })
  })
})
