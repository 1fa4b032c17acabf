import fc from 'fast-check'
import { dump } from 'js-yaml'
import { LineCounter, parseAllDocuments, stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { decodeSource, parseManifests, type ParsedDocument, type ParseOptions } from './index.js'
import { referencePositions } from './reference-walk.test-support.js'

/*
 * Excluded from generated strings, because a dumper leaves them plain while a reader takes
 * them for something else (kubernetes-semantics.test.ts covers them): Go's base prefixes
 * (`0O17`, `0X1F`, `0B1`, and `0o17` for `yaml` in 1.1 mode) are integers for go-yaml, and
 * a plain `<<` key is a merge.
 */
const unambiguous = (text: string) => !/^[-+]?0[oObBxX]/.test(text) && text !== '<<'

const tricky = fc.constantFrom(
  'yes',
  'No',
  'on',
  '0644',
  '1e5',
  '1e+5',
  '~',
  'null',
  '12:30',
  '- a',
  'a: b',
  '#c',
  '"q"',
  "it's",
  'multi\nline\n',
  'x\n\n',
  '  padded  ',
  '',
  '---',
  '...',
  '&a',
  '*a',
  '!tag',
  '%x',
  '@',
  '`',
  '名前',
  'é😀',
  'tab\there',
  '\\',
)
const text = fc
  .oneof(fc.string({ maxLength: 16 }), fc.string({ unit: 'grapheme', maxLength: 8 }), tricky)
  .filter(unambiguous)
// Numbers stay clear of exponent notation: js-yaml dumps 1e21 as `1.e+21`, which go-yaml
// reads as a string (a dumper quirk, not a parser one).
const number = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
)
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
}))
const jsonValue = value.map((v) => JSON.parse(JSON.stringify(v)) as unknown)

const dumpers: readonly [string, (v: unknown) => string][] = [
  ['yaml block', (v) => stringify(v, { version: '1.1' })],
  ['yaml flow', (v) => stringify(v, { version: '1.1', collectionStyle: 'flow' })],
  ['js-yaml block', (v) => dump(v)],
  ['js-yaml mixed', (v) => dump(v, { flowLevel: 1 })],
]

// Both readers: the fast one (the default) and js-yaml's events.
const readers: readonly [string, ParseOptions][] = [
  ['fast path', {}],
  ['js-yaml path', { fastPath: false }],
]

function onlyDocument(yamlText: string, options: ParseOptions): ParsedDocument {
  const { documents, diagnostics } = parseManifests(yamlText, 'p.yaml', options)
  expect(diagnostics).toEqual([])
  expect(documents).toHaveLength(1)
  return documents[0]!
}

/** Every JSON Pointer of a value. */
function pointersOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, child]) => {
    const pointer = `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
    return [pointer, ...pointersOf(child, pointer)]
  })
}

describe.each(
  readers.flatMap(([reader, options]) =>
    dumpers.map(([name, dumpValue]) => [name, reader, options, dumpValue] as const),
  ),
)('values dumped by %s, read by the %s', (_name, _reader, options, dumpValue) => {
  it('parse back equal', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(onlyDocument(dumpValue(v), options).object).toEqual(v)
      }),
      { numRuns: 200 },
    )
  })

  it('locate every pointer where yaml places its node', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const source = dumpValue(v)
        const lines = new LineCounter()
        const reference = parseAllDocuments(source, { lineCounter: lines, version: '1.1' })
        if (!Array.isArray(reference) || reference.length !== 1) throw new Error('expected one document')
        const document = onlyDocument(source, options)
        for (const node of referencePositions(reference[0]!, lines)) {
          const { span, exact } = document.locate(node.pointer)
          expect({ pointer: node.pointer, exact, ...span.start }).toEqual({
            pointer: node.pointer,
            exact: true,
            line: node.line,
            column: node.column,
            offset: node.offset,
          })
        }
      }),
      { numRuns: 200 },
    )
  })
})

const sample = `# sample
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  template: &t
    spec:
      containers:
        - name: "app"
          image: 'nginx'
          args: [a, b]
          script: |
            echo hi
        - &side
          name: side
  again: *t
  merged:
    <<: *side
    extra: 1
---
- 1
- ~
...
`

const mutation = fc.record({
  at: fc.nat({ max: sample.length }),
  remove: fc.nat({ max: 4 }),
  insert: fc.constantFrom(
    '',
    ':',
    '-',
    ' ',
    '  ',
    '\t',
    '\n',
    '"',
    "'",
    '[',
    ']',
    '{',
    '}',
    '&a',
    '*t',
    '*side',
    '!',
    '!!int',
    '|',
    '>',
    '#',
    '---\n',
    '...\n',
    '%YAML 1.1\n',
    '?',
    ',',
    'é',
    '😀',
    '\r\n',
    '\r',
    '<<: *t\n',
    '\u0000',
  ),
})

describe('hostile input never throws', () => {
  it('random bytes through decodeSource and parseManifests', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const decoded = decodeSource(bytes, 'r.yaml')
        if ('text' in decoded) parseManifests(decoded.text, 'r.yaml')
      }),
      { numRuns: 500 },
    )
  })

  it('random mutations of a valid file: diagnostics point inside the file, documents locate all their pointers', () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 6 }), (mutations) => {
        let source = sample
        for (const { at, remove, insert } of mutations)
          source = source.slice(0, at) + insert + source.slice(at + remove)
        const { documents, diagnostics } = parseManifests(source, 'm.yaml')
        for (const diagnostic of diagnostics) {
          expect(diagnostic.span?.start.offset).toBeGreaterThanOrEqual(0)
          expect(diagnostic.span?.start.offset).toBeLessThanOrEqual(source.length)
          expect(diagnostic.span?.start.line).toBeGreaterThanOrEqual(1)
        }
        for (const document of documents) {
          expect(document.span.end.offset).toBeLessThanOrEqual(source.length)
          for (const pointer of pointersOf(document.object).slice(0, 200))
            expect(document.locate(pointer).exact).toBe(true)
        }
      }),
      { numRuns: 500 },
    )
  })
})
