import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineIndex } from './line-index.js'

/** Line and column of every offset by walking the text one character at a time. */
function walked(text: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = []
  let line = 1
  let column = 1
  for (let i = 0; i <= text.length; i++) {
    out.push({ line, column })
    const code = text.charCodeAt(i)
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++
      column = 1
    } else column++
  }
  return out
}

const pieces = fc.constantFrom('a', 'key: value', '\n', '\r\n', '\r', ' ', '😀', '')

describe('LineIndex', () => {
  it('gives every offset the line and column of a walk over the text (LF, CRLF, lone CR)', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 400 }), (parts) => {
        const text = parts.join('')
        const lines = new LineIndex(text, 'f.yaml')
        const expected = walked(text)
        for (let offset = 0; offset <= text.length; offset++) {
          expect(lines.position(offset)).toEqual({ ...expected[offset], offset })
        }
      }),
      { numRuns: 200 },
    )
  })

  it('keeps every line of a text with far more lines than characters/32 (its table grows)', () => {
    const text = '\n'.repeat(5000) + 'x'
    const lines = new LineIndex(text, 'f.yaml')
    expect(lines.position(text.length)).toEqual({ line: 5001, column: 2, offset: text.length })
    expect(lines.position(2500)).toEqual({ line: 2501, column: 1, offset: 2500 })
    expect(lines.span(-5, 1e9)).toEqual({
      file: 'f.yaml',
      start: { line: 1, column: 1, offset: 0 },
      end: { line: 5001, column: 2, offset: text.length },
    })
  })
})
