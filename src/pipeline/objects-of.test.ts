import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LocatedResource } from '../core/index.js'
import { CORPUS_DIR, hasCorpus } from '../testing/corpus.js'
import { objectsOf } from './objects-of.js'
import { resourcesOf, type SourceText } from './resources.js'

/*
 * The positionless first-pass read (objectsOf) against resourcesOf: the same resources in the
 * same order (documents skipped, Lists expanded, document index and prefix, hence the place of
 * each), deep-equal objects (-0 and NaN included), the same diagnostics with their spans, and
 * the same span from `locate` (which reads the file again on first use).
 */

/** Pointers to ask both for: the root, a few fixed ones, and the first leaf of the object. */
function pointersOf(r: LocatedResource): string[] {
  const out = ['', '/kind', '/metadata/name', '/spec', '/no/such/key']
  let pointer = ''
  let value: unknown = r.object
  for (let depth = 0; depth < 12 && value !== null && typeof value === 'object'; depth++) {
    const keys = Object.keys(value)
    if (keys.length === 0) break
    const key = keys[keys.length - 1] as string
    pointer += `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
    value = (value as Record<string, unknown>)[key]
    out.push(pointer)
  }
  return out
}

function expectSame(source: SourceText): void {
  const positionless = objectsOf(source)
  const positioned = resourcesOf(source)
  expect(positionless.diagnostics).toStrictEqual(positioned.diagnostics)
  expect(positionless.resources.length).toBe(positioned.resources.length)
  positioned.resources.forEach((want, place) => {
    const got = positionless.resources[place] as LocatedResource
    expect(got.object).toStrictEqual(want.object)
    expect([got.file, got.environment, got.document, got.prefix]).toStrictEqual([
      want.file,
      want.environment,
      want.document,
      want.prefix,
    ])
    for (const pointer of pointersOf(want)) expect(got.locate(pointer)).toStrictEqual(want.locate(pointer))
  })
}

// Document fragments that exercise every way a file's resources come out: skipped documents,
// Lists, build inputs, aliases and merge keys, duplicate keys, broken YAML, numbers JSON cannot tell apart.
const FRAGMENTS = [
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n',
  'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n- just text\n- {metadata: {}}\n- apiVersion: v1\n  kind: ConfigMap\n  data:\n    a: |\n      x=1\n      y=2\n',
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n',
  'kind: Deployment\nmetadata:\n  name: no-api-version\n',
  'replicaCount: 3\nimage: {repository: nginx}\n',
  'base: &base\n  apiVersion: v1\n  kind: ConfigMap\nobj:\n  <<: *base\n  metadata: {name: merged}\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup2\n',
  "apiVersion: v1\nkind: Secret\nmetadata: {name: \"q\\u00e9\"}\nstringData:\n  k: 'it''s'\n  n: -0\n  f: .nan\n  i: 0x1F\n  o: 0o17\n  b: yes\n",
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n',
  'apiVersion: v1\nkind: Pod\n  bad: indentation\n',
  '',
  '# only a comment\n',
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: &n team\n  labels: {owner: *n}\n',
  'apiVersion: v1\nkind: ConfigMap\ndata:\n  folded: >-\n    one\n    two\n  kept: |+\n    three\n\n',
  '- apiVersion: v1\n  kind: Pod\n',
  'apiVersion: !!str v1\nkind: Pod\nmetadata: {name: tagged}\n',
]

const fileOf = fc
  .record({
    docs: fc.array(fc.integer({ min: 0, max: FRAGMENTS.length - 1 }), { minLength: 1, maxLength: 6 }),
    explicitFirst: fc.boolean(),
    ends: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    crlf: fc.boolean(),
  })
  .map(({ docs, explicitFirst, ends, crlf }) => {
    const text = docs
      .map((d, i) => `${i > 0 || explicitFirst ? '---\n' : ''}${FRAGMENTS[d]}${ends[i] === true ? '...\n' : ''}`)
      .join('')
    return crlf ? text.replaceAll('\n', '\r\n') : text
  })

describe('objectsOf', () => {
  it('gives resourcesOf’s resources, objects, places, diagnostics and spans for generated files', () => {
    fc.assert(
      fc.property(fileOf, fc.option(fc.constant('prod'), { nil: undefined }), (text, environment) => {
        expectSame({ path: 'gen.yaml', text, ...(environment === undefined ? {} : { environment }) })
      }),
      { numRuns: 400 },
    )
  })

  it('gives the same for JSON files, deep ones and bad ones', () => {
    for (const text of [
      '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}]}',
      '[{"apiVersion":"v1","kind":"Pod"}]',
      `${'['.repeat(600)}${']'.repeat(600)}`,
      '{"apiVersion": "v1", "kind": "Pod", # a comment\n}',
      '{"kind": "Pod", "metadata": {}}',
    ])
      expectSame({ path: 'x.json', text })
  })

  it('locates a positionless resource where the positioned one is, after its file was read once', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n'
    const [, service] = objectsOf({ path: 'two.yaml', text }).resources
    expect(service?.locate('/metadata/name')).toMatchObject({ start: { line: 9, column: 3 } })
  })
})

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    const stat = lstatSync(path)
    if (stat.isDirectory()) yamlFiles(path, out)
    else if (stat.isFile() && /\.(ya?ml|json)$/i.test(name)) out.push(path)
  }
  return out
}

describe.skipIf(!hasCorpus())('objectsOf over ../shared/corpus', () => {
  it('gives resourcesOf’s resources, objects, places, diagnostics and spans for every YAML and JSON file', () => {
    const files = yamlFiles(CORPUS_DIR)
    let resources = 0
    for (const path of files) {
      const source = { path, text: readFileSync(path, 'utf8') }
      expectSame(source)
      resources += resourcesOf(source).resources.length
    }
    expect(files.length).toBeGreaterThan(5000)
    expect(resources).toBeGreaterThan(5000)
  })
})
