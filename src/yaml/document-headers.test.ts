import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CORPUS_DIR, hasCorpus } from '../testing/corpus.js'
import { yamlFilesUnder } from '../testing/yaml-files.js'
import { documentHeaders, type Header } from './document-headers.js'
import { HEADER_FRAGMENTS, headerFileOf } from './header-fragments.test-support.js'
import { parseManifests } from './parse-manifests.js'

/*
 * The cheap header read against the parser: its documents are the parser's (document index
 * for document index, each document's text parsed alone giving the same value), and a header,
 * when given, is exactly the value's apiVersion, kind and metadata.namespace.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** What a header must say of a parsed value, or undefined when no header may be given (a value that is not strings). */
function headerOfValue(value: unknown): Header | undefined {
  // An empty document (null): nothing at all, as a mapping without those keys.
  if (value === null) return {}
  if (!isRecord(value)) return undefined
  const out: Header = {}
  for (const key of ['apiVersion', 'kind'] as const) {
    if (!(key in value)) continue
    const v = value[key]
    if (typeof v !== 'string') return undefined
    out[key] = v
  }
  if ('metadata' in value) {
    const metadata = value.metadata
    if (metadata !== null && !isRecord(metadata)) return undefined
    if (metadata && 'namespace' in metadata) {
      if (typeof metadata.namespace !== 'string') return undefined
      out.namespace = metadata.namespace
    }
  }
  return out
}

/** Returns whether the text was read (not refused as a whole). */
function expectAgrees(text: string): boolean {
  const docs = documentHeaders(text)
  if (!docs) return false
  const parsed = parseManifests(text, 'f.yaml', { positions: false })
  if (parsed.diagnostics.length === 0) expect(docs.length).toBe(parsed.documents.length)
  for (const document of parsed.documents) {
    const doc = docs[document.index]
    expect(doc, `document ${document.index} of ${JSON.stringify(text)}`).toBeDefined()
    if (!doc) continue
    const alone = parseManifests(text.slice(doc.start, doc.end), 'f.yaml', { positions: false })
    expect(alone.documents.map((d) => d.object)).toStrictEqual([document.object])
    if (doc.header) expect(doc.header, JSON.stringify(text)).toStrictEqual(headerOfValue(document.object))
  }
  // Documents are in order, without overlap.
  docs.forEach((d, i) => expect(d.start).toBeGreaterThanOrEqual(i > 0 ? (docs[i - 1]?.end ?? 0) : 0))
  return true
}

describe('documentHeaders', () => {
  it('gives the parser’s documents and their exact headers for generated files', () => {
    fc.assert(
      fc.property(headerFileOf, (text) => {
        expectAgrees(text)
      }),
      { numRuns: 600 },
    )
  })

  it('reads the header of an ordinary manifest and counts its documents', () => {
    const text =
      '# c\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  namespace: team\n---\nrules:\n- a\nkind: Role\n...\n# end\n'
    const docs = documentHeaders(text)
    expect(docs?.map((d) => d.header)).toStrictEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'team' },
      { kind: 'Role' },
    ])
    expectAgrees(text)
  })

  it.each([
    ['carriage returns', 'apiVersion: v1\r\nkind: Pod\r\n'],
    ['a byte order mark', '\uFEFFapiVersion: v1\nkind: Pod\n'],
    ['JSON (an object)', '{"apiVersion": "v1", "kind": "Pod"}'],
    ['JSON (an array)', '  [{"kind": "Pod"}]'],
    ['a directive', '%YAML 1.1\n---\napiVersion: v1\nkind: Pod\n'],
  ])('refuses a whole stream with %s', (_, text) => {
    expect(documentHeaders(text)).toBeUndefined()
  })

  it.each([
    ['a List', 'apiVersion: v1\nkind: List\nitems: []\n'],
    ['a ServiceList', 'apiVersion: v1\nkind: ServiceList\nitems: []\n'],
    ['flow metadata', 'apiVersion: v1\nkind: Pod\nmetadata: {namespace: a}\n'],
    ['an anchored metadata', 'apiVersion: v1\nkind: Pod\nmetadata: &m\n  namespace: a\n'],
    ['an alias namespace', 'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: *n\n'],
    ['a tagged kind', 'apiVersion: v1\nkind: !!str Pod\n'],
    ['an anchored kind', 'apiVersion: v1\nkind: &k Pod\n'],
    ['a merge key', '<<: {kind: Pod}\napiVersion: v1\n'],
    ['a merge key in metadata', 'apiVersion: v1\nkind: Pod\nmetadata:\n  <<: {namespace: a}\n'],
    ['a quoted key', '"kind": Pod\napiVersion: v1\n'],
    ['a quoted namespace key', 'apiVersion: v1\nkind: Pod\nmetadata:\n  "namespace": a\n'],
    ['a complex key', '? kind\n: Pod\n'],
    ['a duplicate kind', 'apiVersion: v1\nkind: Pod\nkind: Namespace\n'],
    ['a duplicate namespace', 'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\n  namespace: b\n'],
    ['odd indentation in metadata', 'apiVersion: v1\nkind: Pod\nmetadata:\n    name: a\n  namespace: b\n'],
    ['a tab in metadata', 'apiVersion: v1\nkind: Pod\nmetadata:\n\tnamespace: a\n'],
    ['content that starts indented', '  apiVersion: v1\n  kind: Pod\n'],
    ['a sequence at the top', '- kind: Pod\n'],
    ['a kind that goes on over lines', 'apiVersion: v1\nkind: Po\n  d\n'],
    ['a namespace that goes on over lines', 'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\n    b\n'],
    ['a kind that YAML 1.1 reads as a boolean', 'apiVersion: v1\nkind: on\n'],
    ['a namespace that YAML 1.1 reads as null', 'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: null\n'],
    ['a kind with an escape', 'apiVersion: v1\nkind: "P\\u006fd"\n'],
    ['a quoted kind with a comment not after a space', "apiVersion: v1\nkind: 'Pod'#c\n"],
    ['a kind on the next line', 'apiVersion: v1\nkind:\n  Pod\n'],
    ['an empty namespace value', 'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace:\n'],
    ['content on the marker line', '--- !!map\napiVersion: v1\nkind: Pod\n'],
    ['a quoted value over lines in metadata', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "a\n    b"\n'],
    ['a flow value over lines in metadata', 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b,\n    c: d}\n'],
  ])('is not sure of the header of a document with %s', (_, text) => {
    const docs = documentHeaders(text)
    expect(docs).toHaveLength(1)
    expect(docs?.[0]?.header).toBeUndefined()
    expectAgrees(text)
  })

  it('has a fragment for each case above in the generated files', () => {
    expect(HEADER_FRAGMENTS.length).toBeGreaterThan(50)
  })
})

describe.skipIf(!hasCorpus())('documentHeaders over ../shared/corpus', () => {
  it('gives the parser’s documents and their exact headers for every YAML and JSON file', () => {
    let read = 0
    let sure = 0
    for (const path of yamlFilesUnder(CORPUS_DIR)) {
      const text = readFileSync(path, 'utf8')
      if (!expectAgrees(text)) continue
      read++
      sure += documentHeaders(text)?.filter((d) => d.header).length ?? 0
    }
    expect(read).toBeGreaterThan(5000)
    expect(sure).toBeGreaterThan(5000)
  })
})
