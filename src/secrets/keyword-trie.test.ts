import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keywordTrie } from './keyword-trie.js'
import { ANY_KEYWORD, TOKEN_RULES } from './token-rules.js'

const KEYWORDS = [...new Set(TOKEN_RULES.flatMap((r) => r.keywords))]

/** Texts made of pieces of the keywords and other characters, so that near misses are common. */
const textAround = (keywords: readonly string[]): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...keywords).chain((k) => fc.integer({ min: 1, max: k.length }).map((n) => k.slice(0, n))),
        fc.constantFrom(...keywords).chain((k) => fc.integer({ min: 0, max: k.length - 1 }).map((n) => k.slice(n))),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 10 },
    )
    .map((pieces) => pieces.join(''))

describe('keywordTrie', () => {
  it('tests true exactly when a text contains one of the keywords, for any keywords', () => {
    const keywords = fc.uniqueArray(
      fc.string({ unit: fc.constantFrom('a', 'b', '.', '|', '(', '\\', '/', '-'), minLength: 1, maxLength: 5 }),
      {
        minLength: 1,
        maxLength: 8,
      },
    )
    fc.assert(
      fc.property(
        keywords.chain((k) => fc.tuple(fc.constant(k), fc.array(textAround(k), { maxLength: 10 }))),
        ([k, texts]) => {
          const trie = keywordTrie(k)
          for (const text of texts)
            expect(trie.test(text), `${JSON.stringify(k)} ${JSON.stringify(text)}`).toBe(
              k.some((w) => text.includes(w)),
            )
        },
      ),
      { numRuns: 500 },
    )
  })

  it('ANY_KEYWORD finds the token rules’ keywords as includes does', () => {
    fc.assert(
      fc.property(textAround(KEYWORDS), (text) => {
        expect(ANY_KEYWORD.test(text)).toBe(KEYWORDS.some((k) => text.includes(k)))
      }),
      { numRuns: 5000 },
    )
    for (const k of KEYWORDS)
      expect([ANY_KEYWORD.test(`x${k}y`), ANY_KEYWORD.test(k.slice(1))]).toEqual([
        true,
        KEYWORDS.some((w) => k.slice(1).includes(w)),
      ])
  })

  it('matches nothing without keywords and everything with an empty one', () => {
    expect(keywordTrie([]).test('anything')).toBe(false)
    expect(keywordTrie(['']).test('')).toBe(true)
  })
})
