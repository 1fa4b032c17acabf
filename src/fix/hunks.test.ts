import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { changedRegion, lineChanges, splitLines } from './index.js'

const line = fc.constantFrom('a: 1\n', 'b: 2\r\n', '  c: x\n', '# note\n', '\n', 'd')
const text = fc.array(line, { maxLength: 8 }).map((l) => l.join(''))

/** Replace whole lines start..end-1 (1-based) of `text` with `after`. */
function replaceLines(text: string, start: number, end: number, after: string): string {
  const lines = splitLines(text)
  return [...lines.slice(0, start - 1), after, ...lines.slice(end - 1)].join('')
}

describe('line changes', () => {
  it('one region: an insertion of a line, a change inside a line', () => {
    expect(changedRegion('a\nb\n', 'a\nx\nb\n')).toEqual({ start: 2, end: 2, before: '', after: 'x\n' })
    expect(changedRegion('a: 1 # c\nb\n', 'a: 2 # c\nb\n')).toEqual({
      start: 1,
      end: 2,
      before: 'a: 1 # c\n',
      after: 'a: 2 # c\n',
    })
    expect(changedRegion('same', 'same')).toBeUndefined()
  })

  it('property: the region and the hunks, applied to the text before, give the text after', () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const region = changedRegion(before, after)
        if (region) expect(replaceLines(before, region.start, region.end, region.after)).toBe(after)
        else expect(before).toBe(after)
        let rebuilt = before
        for (const h of [...lineChanges(before, after)].reverse()) {
          expect(
            splitLines(before)
              .slice(h.start - 1, h.end - 1)
              .join(''),
          ).toBe(h.before)
          rebuilt = replaceLines(rebuilt, h.start, h.end, h.after)
        }
        expect(rebuilt).toBe(after)
      }),
      { numRuns: 300, seed: 15 },
    )
  })
})
