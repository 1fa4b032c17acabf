import { describe, expect, it } from 'vitest'
import { parseManifests, type ParsedDocument } from '../index.js'

function documentOf(text: string, index = 0): ParsedDocument {
  const { documents, diagnostics } = parseManifests(text, 'pod.yaml')
  expect(diagnostics).toEqual([])
  const document = documents.find((d) => d.index === index)
  if (!document) throw new Error(`no document ${index}`)
  return document
}

/** `[line, column, exact]` of a pointer's span start. */
function at(document: ParsedDocument, pointer: string): [number, number, boolean] {
  const { span, exact } = document.locate(pointer)
  return [span.start.line, span.start.column, exact]
}

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx
      securityContext:
        privileged: true
    - name: sidecar
`

describe('locate', () => {
  it('points at the key of a mapping entry, with a span over the key', () => {
    const { span, exact } = documentOf(pod).locate('/spec/containers/0/securityContext/privileged')
    expect(exact).toBe(true)
    expect(span).toEqual({
      file: 'pod.yaml',
      start: { line: 10, column: 9, offset: 133 },
      end: { line: 10, column: 19, offset: 143 },
    })
  })

  it('points at the item of a sequence', () => {
    expect(at(documentOf(pod), '/spec/containers/1')).toEqual([11, 7, true])
  })

  it("points at the document's root node for ''", () => {
    expect(at(documentOf(`# leading comment\n${pod}`), '')).toEqual([2, 1, true])
  })

  it('falls back to the deepest existing ancestor', () => {
    expect(at(documentOf(pod), '/spec/containers/1/securityContext/runAsNonRoot')).toEqual([11, 7, false])
    expect(at(documentOf(pod), '/spec/containers/7')).toEqual([6, 3, false])
    expect(at(documentOf(pod), '/status')).toEqual([1, 1, false])
    expect(at(documentOf(pod), '/kind/x')).toEqual([2, 1, false])
    expect(at(documentOf(pod), '/spec/containers/first')).toEqual([6, 3, false])
  })

  it('treats a malformed pointer as the root, inexact', () => {
    expect(at(documentOf(pod), 'spec')).toEqual([1, 1, false])
  })

  it('unescapes ~0 and ~1 in pointer tokens', () => {
    const document = documentOf('metadata:\n  annotations:\n    example.com/a~b: x\n')
    expect(at(document, '/metadata/annotations/example.com~1a~0b')).toEqual([3, 5, true])
  })

  it('works in flow style, nested', () => {
    const document = documentOf('spec: {a: 1, b: [x, {c: y}], "d e": 2}\n')
    expect(at(document, '/spec/b')).toEqual([1, 14, true])
    expect(at(document, '/spec/b/1/c')).toEqual([1, 22, true])
    expect(at(document, '/spec/d e')).toEqual([1, 30, true])
  })

  it('works with quoted and resolved keys', () => {
    const document = documentOf(`"quoted": 1\n'single': 2\n? explicit\n: 3\non: 4\n0644: 5\n`)
    expect(at(document, '/quoted')).toEqual([1, 1, true])
    expect(at(document, '/single')).toEqual([2, 1, true])
    expect(at(document, '/explicit')).toEqual([3, 3, true])
    expect(at(document, '/true')).toEqual([5, 1, true])
    expect(at(document, '/420')).toEqual([6, 1, true])
  })

  it('reads keys without their events as with them: a quoted << is a key, not a merge', () => {
    const document = documentOf(`x: 0\n"<<": 1\n<<a: 2\n~: 3\nname: 4\n`)
    expect(at(document, '/<<')).toEqual([2, 1, true])
    expect(at(document, '/<<a')).toEqual([3, 1, true])
    expect(at(document, '/null')).toEqual([4, 1, true])
    expect(at(document, '/name')).toEqual([5, 1, true])
    expect(at(documentOf(`'<<': 1\n`), '/<<')).toEqual([1, 1, true])
    // A tag sends the document to js-yaml's reader, whose events mark quoted scalars fast too.
    expect(at(documentOf(`t: !!str x\n'<<': 1\n"<<a": 2\n`), '/<<')).toEqual([2, 1, true])
    expect(at(documentOf(`t: !!str x\n'<<': 1\n"<<a": 2\n`), '/<<a')).toEqual([3, 1, true])
  })

  it('follows aliases into the anchored node', () => {
    const document = documentOf('defaults: &d\n  limits:\n    cpu: 1\nspec:\n  resources: *d\n  list:\n    - *d\n')
    expect(at(document, '/spec/resources')).toEqual([5, 3, true])
    expect(at(document, '/spec/resources/limits/cpu')).toEqual([3, 5, true])
    expect(at(document, '/spec/list/0')).toEqual([7, 7, true])
    expect(at(document, '/spec/list/0/limits')).toEqual([2, 3, true])
  })

  it('resolves a merged field to its definition in the anchored mapping', () => {
    const document = documentOf(
      'base: &b\n  image: nginx\n  pull: Always\nother: &o\n  port: 80\napp:\n  <<: [*o, *b]\n  image: redis\n',
    )
    expect(at(document, '/app/image')).toEqual([8, 3, true])
    expect(at(document, '/app/pull')).toEqual([3, 3, true])
    expect(at(document, '/app/port')).toEqual([5, 3, true])
  })

  it('counts columns in UTF-16 code units', () => {
    const document = documentOf('名前: {é: 1, 😀: 2, k: 3}\n')
    expect(at(document, '/名前/k')).toEqual([1, 19, true])
  })

  it('keeps columns exact with CRLF', () => {
    expect(at(documentOf(pod.replaceAll('\n', '\r\n')), '/spec/containers/0/securityContext/privileged')).toEqual([
      10,
      9,
      true,
    ])
  })

  it('places block scalars, quoted scalars and empty items as yaml does', () => {
    const document = documentOf('list:\n  - |\n    text\n  - "quoted"\n  -\n  - &a !!str tagged\n')
    expect(at(document, '/list/0')).toEqual([2, 5, true])
    expect(at(document, '/list/1')).toEqual([4, 5, true])
    expect(at(document, '/list/2')).toEqual([5, 4, true])
    expect(at(document, '/list/3')).toEqual([6, 14, true])
  })

  it('finds the right document of a file and keeps file positions', () => {
    const text = `kind: A\n---\n${pod}`
    expect(at(documentOf(text, 1), '/spec/containers/0/securityContext/privileged')).toEqual([12, 9, true])
  })

  it('locates in documents re-read after an error elsewhere in the file', () => {
    const { documents } = parseManifests(`bad: [\n---\n${pod}`, 'pod.yaml')
    expect(documents.map((d) => d.index)).toEqual([1])
    expect(at(documents[0]!, '/spec/containers/0/securityContext/privileged')).toEqual([12, 9, true])
  })

  it('gives a span for an empty document', () => {
    expect(documentOf('a: 1\n---\n# empty\n', 1).span.start).toMatchObject({ line: 2, column: 4 })
  })
})
