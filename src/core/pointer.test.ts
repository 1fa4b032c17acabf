import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapePointerToken, formatPointer, parsePointer } from './pointer.js'

describe('parsePointer', () => {
  // Tokens of the characters that matter: separators, escapes (valid and not) and plain text.
  const token = fc.string({ unit: fc.constantFrom(...'a0~/1'.split('')), maxLength: 6 })

  it('gives back the tokens formatPointer wrote, with or without escapes', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), (tokens) => {
        expect(parsePointer(formatPointer(tokens))).toEqual(tokens)
      }),
      { numRuns: 5_000 },
    )
  })

  it('unescapes each token of any pointer as RFC 6901 says (~1 then ~0)', () => {
    const raw = fc.string({ unit: fc.constantFrom(...'a0~/1'.split('')), maxLength: 20 }).map((s) => `/${s}`)
    fc.assert(
      fc.property(raw, (pointer) => {
        const expected = pointer
          .slice(1)
          .split('/')
          .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
        expect(parsePointer(pointer)).toEqual(expected)
      }),
      { numRuns: 5_000 },
    )
  })

  it('reads the whole document as no tokens and refuses a pointer without a leading /', () => {
    expect(parsePointer('')).toEqual([])
    expect(parsePointer('/')).toEqual([''])
    expect(parsePointer('/spec/containers/0')).toEqual(['spec', 'containers', '0'])
    expect(() => parsePointer('spec')).toThrow(/must start with/)
    expect(escapePointerToken('a/b~c')).toBe('a~1b~0c')
  })
})
