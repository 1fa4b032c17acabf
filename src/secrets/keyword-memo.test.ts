import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hasTokenKeyword } from './keyword-memo.js'
import { ANY_KEYWORD, TOKEN_RULES } from './token-rules.js'

const KEYWORDS = [...new Set(TOKEN_RULES.flatMap((r) => r.keywords))]

/** Long texts, some with a keyword at a random place, some of the same length as others. */
const longText = fc
  .tuple(
    fc.integer({ min: 200, max: 400 }),
    fc.option(fc.constantFrom(...KEYWORDS), { nil: undefined }),
    fc.nat(),
    fc.constantFrom('x', 'a.b=c-1\n', 'zone.shard=bravo\n'),
  )
  .map(([length, keyword, at, fill]) => {
    const base = fill.repeat(Math.ceil(length / fill.length)).slice(0, length)
    if (keyword === undefined) return base
    const i = at % base.length
    return base.slice(0, i) + keyword + base.slice(i)
  })

describe('hasTokenKeyword', () => {
  it('answers as ANY_KEYWORD.test for any sequence of texts, repeated, equal or of equal length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(longText, fc.string({ maxLength: 30 })), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (pool, picks) => {
          for (const pick of [...pool.keys(), ...picks]) {
            const text = pool[pick % pool.length] as string
            // A copy with the same content is another string object: the answer must not differ.
            const copy = pick % 2 === 0 ? text : [...text].join('')
            expect(hasTokenKeyword(copy)).toBe(ANY_KEYWORD.test(copy))
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('tells apart a long clean text and the same text with one keyword more, in either order', () => {
    const clean = 'cache.value=bravo-delta\n'.repeat(20)
    const dirty = `${clean.slice(0, 100)}ghp_${clean.slice(104)}`
    expect(dirty.length).toBe(clean.length)
    expect([hasTokenKeyword(clean), hasTokenKeyword(dirty), hasTokenKeyword(clean), hasTokenKeyword(dirty)]).toEqual([
      false,
      true,
      false,
      true,
    ])
  })
})
