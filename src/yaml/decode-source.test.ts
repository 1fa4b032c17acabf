import { describe, expect, it } from 'vitest'
import { decodeSource } from './index.js'

const utf8 = (text: string) => new TextEncoder().encode(text)
const bytes = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((p) => [...p]))

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2)
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    out[2 * i + (bigEndian ? 1 : 0)] = unit & 0xff
    out[2 * i + (bigEndian ? 0 : 1)] = unit >> 8
  }
  return out
}

function failure(result: ReturnType<typeof decodeSource>) {
  if (!('diagnostic' in result)) throw new Error('expected a diagnostic')
  return result.diagnostic
}

describe('decodeSource', () => {
  it('decodes UTF-8, including multi-byte characters', () => {
    expect(decodeSource(utf8('name: café ✓ 😀\n'), 'a.yaml')).toEqual({ text: 'name: café ✓ 😀\n' })
  })

  it('decodes an empty file to empty text', () => {
    expect(decodeSource(new Uint8Array(), 'a.yaml')).toEqual({ text: '' })
  })

  it('strips a UTF-8 byte order mark', () => {
    expect(decodeSource(bytes([0xef, 0xbb, 0xbf], utf8('a: 1\n')), 'a.yaml')).toEqual({ text: 'a: 1\n' })
  })

  it.each([
    ['little', false, [0xff, 0xfe]],
    ['big', true, [0xfe, 0xff]],
  ])('decodes UTF-16 %s-endian with its byte order mark', (_name, bigEndian, bom) => {
    const text = 'kind: Pod\nname: é😀\n'
    expect(decodeSource(bytes(bom as number[], utf16(text, bigEndian as boolean)), 'a.yaml')).toEqual({ text })
  })

  it('rejects a NUL byte in the first 8 KiB as binary, saying on which line', () => {
    const diagnostic = failure(decodeSource(bytes(utf8('a: 1\nb: 2\nc'), [0], utf8('\n')), 'bin.yaml'))
    expect(diagnostic.code).toBe('FILE_NOT_TEXT')
    expect(diagnostic.span).toMatchObject({ file: 'bin.yaml', start: { line: 3, column: 2, offset: 11 } })
  })

  it('does not sniff for NUL bytes past 8 KiB (the parser reports them)', () => {
    const text = `a: "${'x'.repeat(9000)}"\nb: 1\n`
    const data = utf8(text)
    data[data.length - 2] = 0
    expect('text' in decodeSource(data, 'a.yaml')).toBe(true)
  })

  it('rejects invalid UTF-8 at the line and column of the first bad byte', () => {
    const diagnostic = failure(decodeSource(bytes(utf8('a: 1\nb: 2\nc: é'), [0xff], utf8('\n')), 'bad.yaml'))
    expect(diagnostic.code).toBe('FILE_NOT_TEXT')
    expect(diagnostic.span?.start).toEqual({ line: 3, column: 5, offset: 14 })
  })

  it.each([
    ['a truncated sequence at the end', [0x61, 0xe2, 0x82]],
    ['an overlong encoding', [0x61, 0xc0, 0x80]],
    ['an encoded surrogate', [0x61, 0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0x61, 0xf4, 0x90, 0x80, 0x80]],
    ['a lone continuation byte', [0x61, 0x80]],
  ])('rejects %s', (_name, data) => {
    const diagnostic = failure(decodeSource(Uint8Array.from(data), 'bad.yaml'))
    expect(diagnostic.code).toBe('FILE_NOT_TEXT')
    expect(diagnostic.span?.start).toEqual({ line: 1, column: 2, offset: 1 })
  })

  it('rejects UTF-32, which it does not decode', () => {
    expect(failure(decodeSource(Uint8Array.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]), 'a.yaml')).code).toBe(
      'FILE_NOT_TEXT',
    )
  })

  it('rejects UTF-16 with an odd number of bytes', () => {
    expect(failure(decodeSource(Uint8Array.from([0xff, 0xfe, 0x61, 0x00, 0x62]), 'a.yaml')).code).toBe('FILE_NOT_TEXT')
  })
})
