import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseManifests } from '../index.js'
import { expectSameReading } from './fast-path.test-support.js'

/*
 * Block scalars (`|` and `>`, a ConfigMap's file) in the fast reader: a line's run of printable
 * ASCII and tabs is passed in one regex step, the rest character by character (wide
 * characters, surrogates, control characters the reader gives up on). Values and positions
 * must be js-yaml's whatever the lines, style, chomping, indentation indicator, nesting and
 * end of the text.
 */

const line = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^[a-z.=_-]{1,12}$/),
  fc.stringMatching(/^ {1,3}[a-z#]{1,6}$/),
  fc.stringMatching(/^\t[a-z]{0,4}$/),
  fc.stringMatching(/^ {0,6}$/),
  fc.constant('# not a comment'),
  fc.constant('key: value'),
  fc.constantFrom('é=ü', 'x\u0085y', '\u{1F600} ok', 'bell\u0007', 'del\u007f', 'lone\ud800', 'a\u00a0b', '\ufeffbom'),
)

const document = fc
  .record({
    nesting: fc.integer({ min: 0, max: 3 }),
    style: fc.constantFrom('|', '>'),
    chomping: fc.constantFrom('', '-', '+'),
    indicator: fc.boolean(),
    lines: fc.array(line, { minLength: 0, maxLength: 8 }),
    leadingEmpty: fc.integer({ min: 0, max: 2 }),
    after: fc.constantFrom('next: 1\n', '', '\n\n', 'EOF'),
    crlf: fc.boolean(),
  })
  .map(({ nesting, style, chomping, indicator, lines, leadingEmpty, after, crlf }) => {
    const outer = '  '.repeat(nesting)
    let text = 'apiVersion: v1\nkind: ConfigMap\n'
    for (let i = 0; i < nesting; i++) text += `${'  '.repeat(i)}level${i}:\n`
    const pad = `${outer}  `
    text += `${outer}data: ${style}${indicator ? '2' : ''}${chomping}\n`
    text += '\n'.repeat(leadingEmpty)
    // Lines that are not empty or all spaces are indented (else they end the scalar, or the document is refused).
    text += lines.map((l) => (l === '' || /^ *$/.test(l) ? l : `${pad}${l}`)).join('\n')
    if (after === 'EOF') return crlf ? text.replaceAll('\n', '\r\n') : text
    text += `\n${after === 'next: 1\n' ? `${outer}${after}` : after}`
    return crlf ? text.replaceAll('\n', '\r\n') : text
  })

describe('block scalars in the fast reader', () => {
  it('give js-yaml’s values and positions', () => {
    let taken = 0
    fc.assert(
      fc.property(document, (text) => {
        if (expectSameReading(text)) taken++
      }),
      { numRuns: 1500 },
    )
    // The property did not pass by the fast reader giving up on everything.
    expect(taken).toBeGreaterThan(500)
  })

  it('keeps a properties file as written, without its indentation, ending in one break', () => {
    const text = 'kind: ConfigMap\ndata:\n  app.properties: |\n    a=1\n\n      b=2\n    c=3\n\n\nnext: x\n'
    const [document] = parseManifests(text, 'cm.yaml').documents
    expect(document?.object).toEqual({
      kind: 'ConfigMap',
      data: { 'app.properties': 'a=1\n\n  b=2\nc=3\n' },
      next: 'x',
    })
  })
})
