import { describe, expect, it } from 'vitest'
import { parseManifests } from './index.js'

const parse = (text: string, options?: Parameters<typeof parseManifests>[2]) =>
  parseManifests(text, 'bad.yaml', options)
const where = (text: string) => parse(text).diagnostics.map((d) => [d.code, d.span?.start.line, d.span?.start.column])
const kept = (text: string) => parse(text).documents.map((d) => [d.index, d.object])

describe('syntax errors', () => {
  it('reports tabs used as indentation at the tab', () => {
    expect(where('a:\n\tb: 1\n')).toEqual([['YAML_SYNTAX', 2, 1]])
  })

  it('reports wrong indentation where it goes wrong', () => {
    expect(where('a:\n  b: 1\n c: 2\n')).toEqual([['YAML_SYNTAX', 3, 2]])
  })

  it('reports an unclosed quote', () => {
    const { diagnostics } = parse('a: "abc\nb: 1\n')
    expect(diagnostics).toMatchObject([
      { code: 'YAML_SYNTAX', span: { file: 'bad.yaml', start: { line: 2, column: 1 } } },
    ])
    expect(diagnostics[0]?.hint).toMatch(/quote/)
  })

  it('reports an unclosed flow collection', () => {
    expect(where('a: [1, 2\nb: 3\n')).toEqual([['YAML_SYNTAX', 2, 1]])
  })

  it('reports an alias to an anchor that does not exist', () => {
    expect(where('a: 1\nb: *nope\n')).toEqual([['YAML_SYNTAX', 2, 4]])
  })

  it('loses only the bad document of a file, with positions in the whole file', () => {
    const text = 'kind: A\n---\nkind: B\nspec:\n\tbad: tab\n---\nkind: C\n'
    expect(kept(text)).toEqual([
      [0, { kind: 'A' }],
      [2, { kind: 'C' }],
    ])
    expect(where(text)).toEqual([['YAML_SYNTAX', 5, 1]])
  })

  it('recovers from several bad documents, each reported once', () => {
    const text = 'a: "open\n---\nok: 1\n---\nb: [1\n---\nc: {x\n---\nok: 2\n'
    expect(kept(text)).toEqual([
      [1, { ok: 1 }],
      [4, { ok: 2 }],
    ])
    expect(where(text).map(([, line]) => line)).toEqual([2, 6, 8])
  })

  it('keeps line and column exact after CRLF line endings', () => {
    expect(where('kind: A\r\n---\r\nkind: B\r\nspec:\r\n  a: 1\r\n b: 2\r\n')).toEqual([['YAML_SYNTAX', 6, 2]])
  })

  it('counts columns in UTF-16 code units after multi-byte characters', () => {
    // 名 and 前 are one code unit each, 😀 is two: `y` is at code unit 10, column 11.
    expect(where('名前: "😀x" y\n')).toEqual([['YAML_SYNTAX', 1, 11]])
  })

  it('reports a document with directives but no "---"', () => {
    expect(where('%YAML 1.1\na: 1\n')).toEqual([['YAML_SYNTAX', 2, 1]])
  })

  it('reports a stray "..." content line', () => {
    expect(parse('a: 1\n... junk\n').diagnostics).toHaveLength(1)
  })
})

describe('duplicate keys', () => {
  it('drops the document and names the key at its second occurrence', () => {
    const text = 'kind: A\n---\nmetadata:\n  name: x\n  labels: {}\n  name: y\n---\nkind: C\n'
    const { documents, diagnostics } = parse(text)
    expect(documents.map((d) => d.index)).toEqual([0, 2])
    expect(diagnostics).toMatchObject([
      { code: 'YAML_DUPLICATE_KEY', span: { start: { line: 6, column: 3 }, end: { line: 6, column: 7 } } },
    ])
    expect(diagnostics[0]?.message).toContain('"name"')
    expect(diagnostics[0]?.message).toContain('line 4')
  })

  it('finds duplicates written differently that resolve to the same key', () => {
    const { diagnostics } = parse('a:\n  on: 1\n  "true": 2\n')
    expect(diagnostics).toMatchObject([{ code: 'YAML_DUPLICATE_KEY', span: { start: { line: 3, column: 3 } } }])
    expect(diagnostics[0]?.message).toContain('"true"')
  })

  it('finds duplicates in flow mappings', () => {
    expect(where('a: {x: 1, y: 2, x: 3}\n')).toEqual([['YAML_DUPLICATE_KEY', 1, 17]])
  })

  it('does not count a key overriding a merged one as a duplicate', () => {
    expect(kept('b: &b {x: 1}\na:\n  <<: *b\n  x: 2\n')).toEqual([[0, { b: { x: 1 }, a: { x: 2 } }]])
  })
})

describe('hostile input', () => {
  const laughs = (levels: number) => {
    let text = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
    for (let i = 1; i <= levels; i++)
      text += `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]\n`
    return text
  }

  it('refuses a billion-laughs document quickly, keeping the others', () => {
    const started = performance.now()
    const { documents, diagnostics } = parse(`kind: A\n---\n${laughs(9)}---\nkind: C\n`)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(documents.map((d) => d.index)).toEqual([0, 2])
    expect(diagnostics).toMatchObject([{ code: 'YAML_SYNTAX' }])
    expect(diagnostics[0]?.message).toMatch(/[Ee]xcessive aliasing/)
  })

  it('accepts moderate aliasing and follows the maxAliasExpansion option', () => {
    expect(parse(laughs(3)).diagnostics).toEqual([])
    expect(parse(laughs(3), { maxAliasExpansion: 100 }).diagnostics).toMatchObject([{ code: 'YAML_SYNTAX' }])
  })

  it('refuses an alias inside the node it names (a cycle)', () => {
    const { documents, diagnostics } = parse('a: &a\n  b: *a\n')
    expect(documents).toEqual([])
    expect(diagnostics).toMatchObject([{ code: 'YAML_SYNTAX', span: { start: { line: 2, column: 6 } } }])
  })

  it.each([
    ['flow', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['block', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
    ['JSON', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
  ])('refuses a %s depth bomb without throwing', (_name, text) => {
    const { documents, diagnostics } = parse(text)
    expect(documents).toEqual([])
    expect(diagnostics).toMatchObject([{ code: 'YAML_SYNTAX' }])
  })

  // Issue 14, item 11: kubectl (go-yaml: max_flow_level and max_indents of 10000) reads
  // documents deeper than our limit; such a document is an error at its file and line, with
  // the limits named, and the other documents of the file are kept.
  it.each([
    ['block', Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n', 502],
    ['flow', `x: ${'['.repeat(600)}${']'.repeat(600)}\n`, 3],
  ])("reports a %s document deeper than maxDepth (500) but within kubectl's 10000 as an error", (_name, deep, line) => {
    for (const fastPath of [true, false]) {
      const { documents, diagnostics } = parseManifests(`kind: A\n---\n${deep}---\nkind: C\n`, 'deep.yaml', {
        fastPath,
      })
      expect(documents.map((d) => d.index)).toEqual([0, 2])
      expect(diagnostics).toMatchObject([
        { code: 'YAML_SYNTAX', severity: 'error', span: { file: 'deep.yaml', start: { line } } },
      ])
      expect(diagnostics[0]?.message).toMatch(/deeper than 500 levels.*not checked.*10000/)
    }
  })

  it('follows the maxDepth option', () => {
    const text = 'a:\n  b:\n    c:\n      d: 1\n'
    expect(parse(text).diagnostics).toEqual([])
    expect(parse(text, { maxDepth: 3 }).diagnostics).toMatchObject([{ code: 'YAML_SYNTAX' }])
  })

  it('reads a huge scalar', () => {
    const big = 'x'.repeat(5_000_000)
    expect(kept(`data: ${big}\nnext: 1\n`)).toEqual([[0, { data: big, next: 1 }]])
  })

  it('reports a NUL character past the sniffed prefix without losing other documents', () => {
    expect(kept('a: 1\n---\nb: "\u0000"\n---\nc: 3\n')).toEqual([
      [0, { a: 1 }],
      [2, { c: 3 }],
    ])
  })

  it.each([
    '\u0000',
    ':',
    '- - -',
    '? ? ?',
    '&a *a',
    '!!',
    '{',
    ']',
    '"',
    "'",
    '|',
    '>\n a\n b',
    '%',
    '---\n...\n---\n...',
    '\t',
    '\r',
    '\ufeff',
  ])('never throws on %j', (text) => {
    expect(() => parse(text)).not.toThrow()
    expect(() => parse(text).documents.forEach((d) => d.locate('/x/0'))).not.toThrow()
  })
})
