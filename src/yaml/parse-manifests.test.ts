import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { parseManifests } from './index.js'

const parse = (text: string) => parseManifests(text, 'm.yaml')
const objects = (text: string) => parse(text).documents.map((d) => [d.index, d.object])

describe('documents of a file', () => {
  it('reads every document of a multi-document file, in order', () => {
    expect(objects('kind: A\n---\nkind: B\n---\nkind: C\n')).toEqual([
      [0, { kind: 'A' }],
      [1, { kind: 'B' }],
      [2, { kind: 'C' }],
    ])
  })

  it.each([
    ['an empty file', ''],
    ['only blank lines', '\n  \n\n'],
    ['only comments', '# one\n  # two\n'],
  ])('finds no document in %s', (_name, text) => {
    expect(parse(text)).toEqual({ documents: [], diagnostics: [] })
  })

  it.each([
    ['"---" alone', '---\n', [[0, null]]],
    ['"---" then a comment', '---\n# nothing here\n', [[0, null]]],
    ['empty documents between others', 'a: 1\n---\n---\nb: 2\n---\n', [[0, { a: 1 }], [1, null], [2, { b: 2 }], [3, null]]],
    ['a document ended by "..."', 'a: 1\n...\n', [[0, { a: 1 }]]],
    ['"..." then "---"', 'a: 1\n...\n---\nb: 2\n', [[0, { a: 1 }], [1, { b: 2 }]]],
    ['a %YAML directive', '%YAML 1.1\n---\na: 1\n', [[0, { a: 1 }]]],
    ['a %TAG directive', '%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n', [[0, { a: '1' }]]],
    ['comments before the first "---"', '# header\n---\na: 1\n', [[0, { a: 1 }]]],
    ['a scalar document', '--- just text\n', [[0, 'just text']]],
    ['a top-level list', '- a\n- b\n', [[0, ['a', 'b']]]],
  ])('reads %s', (_name, text, expected) => {
    expect(objects(text)).toEqual(expected)
  })

  it.each([
    'a: 1\n---\n---\nb: 2\n---\n',
    '---\n# c\n...\n---\n',
    '# c\n---\na: 1\n...\n# d\n---\n',
    '%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n---\nb: 1\n',
    '--- |\n  text\n--- >\n  folded\n',
  ])('numbers documents as yaml parseAllDocuments does: %j', (text) => {
    const reference = parseAllDocuments(text)
    const count = Array.isArray(reference) ? reference.length : 0
    expect(parse(text).documents.map((d) => d.index)).toEqual([...Array(count).keys()])
  })

  it('keeps columns exact with CRLF line endings', () => {
    const { documents } = parse('a: 1\r\nspec:\r\n  name: x\r\n')
    expect(documents[0]?.object).toEqual({ a: 1, spec: { name: 'x' } })
    expect(documents[0]?.locate('/spec/name').span.start).toEqual({ line: 3, column: 3, offset: 15 })
  })

  it('gives the span of a whole document', () => {
    const { documents } = parse('# c\na: 1\nb:\n  - x\n---\nc: "q"\n')
    expect(documents[0]?.span).toMatchObject({ file: 'm.yaml', start: { line: 2, column: 1 }, end: { line: 4, column: 6 } })
    expect(documents[1]?.span).toMatchObject({ start: { line: 6, column: 1 }, end: { line: 6, column: 7 } })
  })
})

describe('JSON files', () => {
  it('reads a JSON object with JSON.parse semantics', () => {
    // kubectl decodes a JSON file with encoding/json: 1e5 is a number there, unlike in YAML.
    expect(objects('{"apiVersion": "v1", "on": "yes", "n": 1e5}')).toEqual([[0, { apiVersion: 'v1', on: 'yes', n: 100000 }]])
  })

  it('reads a top-level JSON array as one document', () => {
    expect(objects('\n  [{"kind": "A"}, {"kind": "B"}]\n')).toEqual([[0, [{ kind: 'A' }, { kind: 'B' }]]])
  })

  it('locates fields in JSON, tabs and all', () => {
    const text = '{\n\t"spec": {\n\t\t"containers": [\n\t\t\t{"name": "app", "privileged": true}\n\t\t]\n\t}\n}\n'
    const { documents } = parse(text)
    expect(documents[0]?.locate('/spec/containers/0/privileged')).toMatchObject({ exact: true, span: { start: { line: 4, column: 20 } } })
    expect(documents[0]?.locate('/spec/containers/0')).toMatchObject({ exact: true, span: { start: { line: 4, column: 4 } } })
  })

  it('locates the last of duplicate JSON keys, the one JSON.parse keeps', () => {
    const { documents } = parse('{"a": 1,\n "a": 2}')
    expect(documents[0]?.object).toEqual({ a: 2 })
    expect(documents[0]?.locate('/a').span.start).toMatchObject({ line: 2, column: 2 })
  })

  it('falls back to YAML for JSON-looking YAML', () => {
    expect(objects('{a: 1, b: yes}  # flow mapping with a comment\n')).toEqual([[0, { a: 1, b: true }]])
    expect(objects('{"a": 1}\n---\n{"b": 2}\n')).toEqual([
      [0, { a: 1 }],
      [1, { b: 2 }],
    ])
  })

  it('reports broken JSON as a YAML syntax error with its position', () => {
    const { documents, diagnostics } = parse('{\n  "a": 1,\n  "b": [1, 2\n}\n')
    expect(documents).toEqual([])
    expect(diagnostics).toMatchObject([{ code: 'YAML_SYNTAX', span: { file: 'm.yaml' } }])
  })
})
