import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { dump, type DumpOptions } from 'js-yaml'
import { stringify, type DocumentOptions, type SchemaOptions, type ToStringOptions } from 'yaml'
import { describe, expect, it } from 'vitest'
import { writeCorpus } from '../../../tools/bench/corpus.js'
import { CORPUS_DIR, hasCorpus } from '../../testing/corpus.js'
import { expectSameReading } from './fast-path.test-support.js'
import { fastPathReport, parseManifests } from '../index.js'

/*
 * The fast reader's contract, checked differentially: whatever the text, parseManifests
 * with the fast path gives exactly what the js-yaml path gives, or the fast path gives up.
 * Each property also counts how often the fast path was taken, so that a reader that gives
 * up on everything cannot pass.
 */

const tricky = fc.constantFrom(
  'yes',
  'No',
  'on',
  'y',
  'n',
  '~',
  'null',
  'NULL',
  '0644',
  '0o17',
  '0x1F',
  '0b11',
  '1_000',
  '-0',
  '+12',
  '.5',
  '-.inf',
  '.NaN',
  '1e5',
  '1e+5',
  '12:30',
  '2001-12-14',
  '<<',
  '- a',
  'a: b',
  'a:b',
  '#c',
  'a #c',
  'a#c',
  '"q"',
  "it's",
  'multi\nline\n',
  'x\n\n',
  '\n lead',
  'trail \n',
  '  padded  ',
  '',
  ' ',
  '---',
  '...',
  '--- x',
  '&a',
  '*a',
  '!tag',
  '%x',
  '@',
  '`',
  '?',
  ':',
  '::1',
  '[x]',
  '{y}',
  ',',
  '|',
  '>',
  '名前',
  'é😀',
  '\ud800',
  'tab\there',
  '\t',
  '\\',
  '\\n',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u0007',
  '\r',
  'a\r\nb',
  '__proto__',
  'constructor',
  'x'.repeat(90),
  'word '.repeat(30),
  `${'long '.repeat(20)}\n${'more '.repeat(20)}`,
)
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  tricky,
)
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.constantFrom(-0, 2 ** 53 + 2, 2 ** 64, 1e21, 1e-7, 0.1, 123456789012345680000),
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

const yamlOptions: (DocumentOptions & SchemaOptions & ToStringOptions)[] = [
  {},
  { version: '1.1' },
  { collectionStyle: 'flow' },
  { lineWidth: 20, minContentWidth: 0 },
  { indent: 4, indentSeq: false },
  { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
  { defaultStringType: 'QUOTE_SINGLE' },
  { blockQuote: 'folded' },
  { blockQuote: 'literal', lineWidth: 30 },
  { flowCollectionPadding: false, collectionStyle: 'flow', lineWidth: 30 },
  { doubleQuotedAsJSON: true, defaultStringType: 'QUOTE_DOUBLE' },
]
const jsYamlOptions: DumpOptions[] = [
  {},
  { flowLevel: 1 },
  { indent: 1 },
  { lineWidth: 20 },
  { quoteStyle: 'single', forceQuotes: true },
  { seqNoIndent: true },
  { seqInlineFirst: true, indent: 3 },
  { flowLevel: 0, flowSkipCommaSpace: true, flowSkipColonSpace: true, quoteFlowKeys: true },
  { flowLevel: 2, flowBracketPadding: true, lineWidth: 30 },
]

// Dumpers may refuse a value (js-yaml has no -0 or NaN keys); that is not the reader's concern.
function tryDump(make: () => string): string | undefined {
  try {
    return make()
  } catch {
    return undefined
  }
}

// Manifests are mappings (or lists): mostly those, sometimes a bare scalar document.
const document = fc.oneof(
  { arbitrary: fc.dictionary(text, value, { minKeys: 1, maxKeys: 5 }), weight: 3 },
  { arbitrary: fc.array(value, { minLength: 1, maxLength: 4 }), weight: 1 },
  { arbitrary: value, weight: 1 },
)
const dumped = fc
  .tuple(
    fc.array(document, { minLength: 1, maxLength: 3 }),
    fc.nat({ max: yamlOptions.length + jsYamlOptions.length - 1 }),
    fc.constantFrom('---\n', '--- # next\n', '...\n---\n', '\n---\n\n'),
    fc.boolean(),
  )
  .map(([values, style, separator, crlf]) => {
    const docs = values.map((v) =>
      tryDump(() =>
        style < yamlOptions.length
          ? stringify(v, yamlOptions[style])
          : dump(v, jsYamlOptions[style - yamlOptions.length]),
      ),
    )
    const joined = docs.every((d) => d !== undefined) ? docs.join(separator) : ''
    return crlf ? joined.replaceAll('\n', '\r\n') : joined
  })

const corpus = CORPUS_DIR
const noCorpus = !hasCorpus()

/** YAML files under `dir`, minus Helm chart templates (Go templates, not YAML). */
function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yamlFiles(path, out)
    else if (/\.ya?ml$/.test(name) && !/[/\\]templates[/\\]/.test(path)) out.push(path)
  }
  return out
}

const yamlTexts = (dir: string): string[] => yamlFiles(dir).map((path) => readFileSync(path, 'utf8'))

/** A counter for properties: how many inputs the fast path took. */
function tally(): { seen: number; taken: number; add: (taken: boolean) => void } {
  const counts = {
    seen: 0,
    taken: 0,
    add: (taken: boolean): void => {
      counts.seen++
      if (taken) counts.taken++
    },
  }
  return counts
}

describe('the fast path reads what js-yaml reads', () => {
  it('values dumped by yaml and js-yaml, in every style, one or more documents', () => {
    const counts = tally()
    fc.assert(
      fc.property(dumped, (source) => counts.add(expectSameReading(source))),
      { numRuns: 1500 },
    )
    expect(counts.taken / counts.seen).toBeGreaterThan(0.5)
  })

  it('the same values under tight nesting and alias limits', () => {
    const limits = fc.record({
      maxDepth: fc.integer({ min: 1, max: 12 }),
      maxAliasExpansion: fc.integer({ min: 0, max: 30 }),
    })
    const counts = tally()
    fc.assert(
      fc.property(dumped, limits, (source, options) => counts.add(expectSameReading(source, options))),
      { numRuns: 500 },
    )
    expect(counts.taken / counts.seen).toBeGreaterThan(0.2)
  })

  it.skipIf(noCorpus)('real files with random edits', () => {
    const files = ['repos', 'kyverno-policies', 'polaris', 'kube-score', 'gatekeeper-library']
      .flatMap((dir) => yamlTexts(join(corpus, dir)).filter((_, i) => i % 7 === 0))
      .filter((t) => t.length < 20_000)
    expect(files.length).toBeGreaterThan(100)
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 3 }),
      insert: fc.constantFrom(
        '',
        ' ',
        '  ',
        '\t',
        '\n',
        '\r\n',
        '\r',
        '#',
        ' #x',
        ':',
        ': ',
        '-',
        '- ',
        '"',
        "'",
        '\\',
        '[',
        ']',
        '{',
        '}',
        ',',
        '&a ',
        '*a',
        '!',
        '|',
        '>',
        '|-',
        '>+2',
        '?',
        '---\n',
        '...\n',
        '%',
        '\n  ',
        '\n    x: 1',
        '\n- y',
        'é',
        '😀',
        '\u0085',
        '\u0000',
        '\ufeff',
        'on',
        '0x1F',
        '<<: *a\n',
      ),
      atLineStart: fc.boolean(),
    })
    const counts = tally()
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), fc.array(edit, { maxLength: 4 }), (which, edits) => {
        let source = files[which]!
        for (const { at, remove, insert, atLineStart } of edits) {
          let offset = at % (source.length + 1)
          if (atLineStart) offset = source.lastIndexOf('\n', offset - 1) + 1
          source = source.slice(0, offset) + insert + source.slice(offset + remove)
        }
        counts.add(expectSameReading(source))
      }),
      { numRuns: 1500 },
    )
    expect(counts.taken / counts.seen).toBeGreaterThan(0.3)
  })

  it('gives up where js-yaml would refuse or choose differently', () => {
    const refused = [
      'a: 1\na: 2\n',
      'on: 1\n"true": 2\n',
      'a: &x 1\nb: *y\n',
      'a: &x [*x]\n',
      'a: !!str 1\n',
      '%YAML 1.1\n---\na: 1\n',
      '? a\n: b\n',
      'b: &b {x: 1}\na:\n  <<: *b\n',
      'a:\n\t- 1\n',
      'a: b: c\n',
      '- &a\n- b\n',
      'a: &x 1\nb: &y *x\n',
      '__proto__: 1\n',
      'a: "x\n---\ny"\n',
      'a: [\nb]\n',
    ]
    for (const source of refused) expect(expectSameReading(source), source).toBe(false)
  })

  it('takes ordinary manifests, including the forms real repositories use', () => {
    const taken = [
      'a: 1\n---\n---\nb: [x, {y: 2}]\n...\n',
      'list:\n- a\n- b: 1\n  c: |\n    text\n',
      'k: >-\n  folded\n  text\n\n  more\n',
      'x: "esc\\t\\u00e9\\\n  cont"\n',
      'a: &l {x: 1}\nb: *l\n',
      "s: 'it''s'\n",
      'm:\n  {a: 1,\n   b: 2}\n',
      'p: plain\n  continued\n',
      '# only\n---\n',
      'k:\r\n  - v\r\n',
    ]
    for (const source of taken) expect(expectSameReading(source), source).toBe(true)
  })

  it('agrees on nesting limits and alias budgets', () => {
    const deep = (n: number) =>
      `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('')}${' '.repeat(n)}v: [1]\n`
    for (const maxDepth of [3, 5, 8, 12]) for (const n of [1, 3, 6, 10]) expectSameReading(deep(n), { maxDepth })
    const level = (name: string, item: string) => `${name}: &${name}\n  - ${item}\n  - ${item}\n`
    const laughs = level('a', 'x') + level('b', '*a') + level('c', '*b') + level('d', '*c')
    // The aliases expand to 6 + 14 + 30 = 50 nodes: a budget of 49 is refused, 50 is not.
    expect(parseManifests(laughs, 'l.yaml', { maxAliasExpansion: 49, fastPath: false }).diagnostics).toHaveLength(1)
    const taken = [1, 20, 49, 50, 1000].map((maxAliasExpansion) => expectSameReading(laughs, { maxAliasExpansion }))
    expect(taken).toEqual([false, false, false, true, true])
  })
})

/** Documents of `texts` that the fast path takes, and all documents. */
function share(texts: readonly string[]): { taken: number; all: number } {
  let taken = 0
  let all = 0
  for (const text of texts) {
    const report = fastPathReport(text)
    const count = report.taken ? report.documents : parseManifests(text, 'c.yaml', { fastPath: false }).documents.length
    all += count
    if (report.taken) taken += count
  }
  return { taken, all }
}

describe('the fast path is the path taken', () => {
  it('for every document of the benchmark corpus (tools/bench/corpus.ts), with the values generated', () => {
    const dir = join(tmpdir(), `palisade-fast-path-${process.pid}`)
    try {
      const generated = writeCorpus(dir, 2000, 42)
      const texts = yamlTexts(dir)
      expect(share(texts)).toEqual({ taken: 20_000, all: 20_000 })
      const read = texts.map((text) => JSON.stringify(parseManifests(text, 'c.yaml').documents.map((d) => d.object)))
      expect(read.sort()).toEqual(generated.objects.map((docs) => JSON.stringify(docs)).sort())
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it
    .skipIf(noCorpus)
    .each(['repos', 'kyverno-policies', 'polaris', 'kube-score', 'gatekeeper-library', 'kubesec', 'pss-fixtures'])(
    'for nearly every document of ../shared/corpus/%s',
    (dir) => {
      const { taken, all } = share(yamlTexts(join(corpus, dir)))
      expect(all).toBeGreaterThan(30)
      expect(taken / all).toBeGreaterThan(0.97)
    },
  )

  it.skipIf(noCorpus)('and reads every file of ../shared/corpus as js-yaml does', () => {
    let taken = 0
    for (const text of yamlTexts(corpus)) if (expectSameReading(text)) taken++
    expect(taken).toBeGreaterThan(5000)
  })
})
