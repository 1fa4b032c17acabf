import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hasRandomLookingRun } from './scan-text.js'

describe('hasRandomLookingRun', () => {
  const TOKEN_RUN = /[A-Za-z0-9+/=_\-.~]+/g
  const byRegex = (text: string, minLength: number): boolean =>
    [...text.matchAll(TOKEN_RUN)].some(
      ([run]) => run.length >= minLength && /[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9]/.test(run),
    )

  it('answers as the token-run regex and its three character tests', () => {
    const unit = fc.constantFrom(...'aZ9._-+/=~ \n:#é"'.split(''))
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), fc.integer({ min: 1, max: 30 }), (text, minLength) => {
        expect(hasRandomLookingRun(text, minLength)).toBe(byRegex(text, minLength))
      }),
      { numRuns: 20_000 },
    )
  })
})
