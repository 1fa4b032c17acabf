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
    [
      'empty documents between others',
      'a: 1\n---\n---\nb: 2\n---\n',
      [
        [0, { a: 1 }],
        [1, null],
        [2, { b: 2 }],
        [3, null],
      ],
    ],
    ['a document ended by "..."', 'a: 1\n...\n', [[0, { a: 1 }]]],
    [
      '"..." then "---"',
      'a: 1\n...\n---\nb: 2\n',
      [
        [0, { a: 1 }],
        [1, { b: 2 }],
      ],
    ],
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
    expect(documents[0]?.span).toMatchObject({
      file: 'm.yaml',
      start: { line: 2, column: 1 },
      end: { line: 4, column: 6 },
    })
    expect(documents[1]?.span).toMatchObject({ start: { line: 6, column: 1 }, end: { line: 6, column: 7 } })
  })
})

describe('JSON files', () => {
  it('reads a JSON object with JSON.parse semantics', () => {
    // kubectl decodes a JSON file with encoding/json: 1e5 is a number there, unlike in YAML.
    expect(objects('{"apiVersion": "v1", "on": "yes", "n": 1e5}')).toEqual([
      [0, { apiVersion: 'v1', on: 'yes', n: 100000 }],
    ])
  })

  it('reads a top-level JSON array as one document', () => {
    expect(objects('\n  [{"kind": "A"}, {"kind": "B"}]\n')).toEqual([[0, [{ kind: 'A' }, { kind: 'B' }]]])
  })

  it('locates fields in JSON, tabs and all', () => {
    const text = '{\n\t"spec": {\n\t\t"containers": [\n\t\t\t{"name": "app", "privileged": true}\n\t\t]\n\t}\n}\n'
    const { documents } = parse(text)
    expect(documents[0]?.locate('/spec/containers/0/privileged')).toMatchObject({
      exact: true,
      span: { start: { line: 4, column: 20 } },
    })
    expect(documents[0]?.locate('/spec/containers/0')).toMatchObject({
      exact: true,
      span: { start: { line: 4, column: 4 } },
    })
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

/*
 * Issue 13, item 4: valid YAML that js-yaml refuses, found by yaml-differential.test.ts. Each
 * is read on both paths (the fast one gives up on these and hands them to js-yaml).
 */
describe.each([
  ['fast path', {}],
  ['js-yaml path', { fastPath: false }],
] as const)('YAML that kubectl reads and js-yaml refuses, %s', (_name, options) => {
  const read = (text: string) => parseManifests(text, 'm.yaml', options)

  it('a flow sequence whose closing bracket sits at the indentation of its key (istio spire-quickstart.yaml)', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata:',
      '  name: spire-agent',
      'spec:',
      '  template:',
      '    spec:',
      '      hostPID: true',
      '      hostNetwork: true',
      '      containers:',
      '        - name: spire-agent',
      '          args: [',
      '            "-config", # where the agent reads its settings',
      '            "/run/spire/config/agent.conf"',
      '          ]',
      '          securityContext:',
      '            privileged: true',
      '---',
      'kind: ConfigMap',
      '',
    ].join('\n')
    const { documents, diagnostics } = read(text)
    expect(diagnostics).toEqual([])
    expect(documents.map((d) => d.index)).toEqual([0, 1])
    const daemonSet = documents[0]!
    expect(daemonSet.object).toMatchObject({
      kind: 'DaemonSet',
      spec: {
        template: {
          spec: {
            hostPID: true,
            containers: [{ args: ['-config', '/run/spire/config/agent.conf'], securityContext: { privileged: true } }],
          },
        },
      },
    })
    expect(daemonSet.locate('/spec/template/spec/containers/0/args/1')).toMatchObject({
      exact: true,
      span: { start: { line: 14, column: 13 } },
    })
    expect(daemonSet.locate('/spec/template/spec/containers/0/securityContext/privileged')).toMatchObject({
      exact: true,
      span: { start: { line: 17, column: 13 } },
    })
  })

  it.each([
    ['a top-level list item, bracket at column 1', '- [\n  1\n]\n', [[1]]],
    ['a flow mapping closed at its key', 'a:\n  b: {\n    x: 1\n  }\nc: 2\n', { a: { b: { x: 1 } }, c: 2 }],
    ['a tab after a comma', 'a: [1,\t2]\n', { a: [1, 2] }],
    ['a tab after a key, before a flow collection over two lines', 'a:\t {x: 1,\n  z: 2}\n', { a: { x: 1, z: 2 } }],
    [
      'keys that are the same number for yaml, not for go-yaml',
      '1e3: x\n1e+3: w\nb: [\n  1\n]\n',
      { '1e3': 'x', '1000': 'w', b: [1] },
    ],
  ])('%s', (_case, text, expected) => {
    expect(read(text)).toMatchObject({ documents: [{ object: expected }], diagnostics: [] })
  })

  it.each([
    ['a closing bracket left of its key', 'a:\n  b: [\n    1\n]\n', 4],
    ['flow entries at the indentation of their key', 'a:\n  b: [1,\n  2]\n', 3],
    ['a tab in the indentation of the line after a block scalar', 'a: |\n  text\n\t# note\nb: 1\n', 3],
    ['a tab in the indentation after a folded scalar and a blank line', '- >\n  text\n\n\t\n', 4],
    ['a directive inside a document (no "..." before it)', 'a: 1\n%b: x\n', 2],
  ])('still refuses %s, as yaml and go-yaml do', (_case, text, line) => {
    const { documents, diagnostics } = read(text)
    expect(documents).toEqual([])
    expect(diagnostics).toMatchObject([
      { code: 'YAML_SYNTAX', severity: 'error', span: { file: 'm.yaml', start: { line } } },
    ])
  })

  it('refuses a directive inside a document and reads the next document', () => {
    const { documents, diagnostics } = read('a: 1\n%: x\n---\nb: 2\n')
    expect(documents.map((d) => d.object)).toEqual([{ b: 2 }])
    expect(diagnostics).toMatchObject([{ code: 'YAML_SYNTAX', span: { start: { line: 2 } } }])
  })
})
