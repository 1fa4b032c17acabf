import { describe, expect, it } from 'vitest'
import { ByteLog } from './byte-log.js'

const roundTrip = (value: unknown): unknown => {
  const log = new ByteLog()
  log.add('before')
  const handle = log.add(value)
  log.add({ after: true })
  return log.get(handle)
}

describe('ByteLog as JSON text', () => {
  it('keeps -0, NaN and the infinities exactly, in objects and arrays, at any depth', () => {
    const value = { a: [-0, NaN, -Infinity, Infinity, 0, 1.5], b: { c: { d: -0 } } }
    const back = roundTrip(value) as typeof value
    expect(back).toEqual(value)
    expect(Object.is(back.a[0], -0)).toBe(true)
    expect(Object.is(back.a[4], 0)).toBe(true)
    expect(Object.is(back.b.c.d, -0)).toBe(true)
  })

  it('keeps strings that look like its marks as strings', () => {
    const value = ['\u0000NaN', '\u0000-0', '\u0000\u0000x', '\u0000', 'NaN', '-0', { '\u0000k': '\u0000Infinity' }]
    expect(roundTrip(value)).toEqual(value)
  })

  it('keeps non-ASCII text and gives a fresh copy each time', () => {
    const log = new ByteLog()
    const handle = log.add({ name: 'é✓ 名前', list: [1] })
    const first = log.get(handle) as { list: number[] }
    first.list.push(2)
    expect(log.get(handle)).toEqual({ name: 'é✓ 名前', list: [1] })
  })
})

describe('ByteLog beyond JSON', () => {
  it('keeps what JSON cannot hold exactly through V8 serialization', () => {
    const values: unknown[] = [
      { optional: undefined, kept: 1 },
      [1, undefined, 3],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
      new Map([['k', { v: 1 }]]),
      new Date(0),
      10n ** 30n,
      undefined,
    ]
    for (const value of values) {
      const back = roundTrip(value)
      expect(back).toStrictEqual(value)
    }
    expect('optional' in (roundTrip({ optional: undefined }) as object)).toBe(true)
  })
})

describe('ByteLog sharing', () => {
  it('gives each handle its own copy of a shared value, up to the cap and past it', () => {
    const log = new ByteLog(2)
    const a = { message: 'same', path: ['spec'] }
    const handles = [a, { other: 1 }, a, { third: -0 }, { third: -0 }, a].map((v) => log.add(v))
    expect(new Set(handles).size).toBe(handles.length)
    const copies = handles.map((h) => log.get(h))
    expect(copies).toEqual([a, { other: 1 }, a, { third: -0 }, { third: -0 }, a])
    expect(copies[0]).not.toBe(copies[2])
    expect(Object.is((copies[4] as { third: number }).third, -0)).toBe(true)
  })
})
