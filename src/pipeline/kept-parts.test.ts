import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isRecord, type KubeObject, type LocatedResource } from '../core/index.js'
import { compilePolicySet } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { CORPUS_DIR, hasCorpus } from '../testing/corpus.js'
import { yamlFilesUnder } from '../testing/yaml-files.js'
import { HEADER_FRAGMENTS, headerFileOf } from '../yaml/header-fragments.test-support.js'
import { EarlierFirsts, firstPassParts, firstPassPlaces } from './kept-parts.js'
import { objectsOf } from './objects-of.js'
import { resourcesOf, type SourceText } from './resources.js'
import { filePartsOf, RunParts } from './run-parts.js'

/*
 * The first pass read by headers (firstPassParts) against filePartsOf over every resource of
 * the file (the whole parse): the same Namespaces and the same parts at the same places. For a
 * file with a document that does not parse, the places are the second pass's resources
 * numbered by firstPassPlaces, which must then be where the parts came from.
 */

const { set } = compilePolicySet(BUILTIN_POLICIES)
const environmentOf = (r: LocatedResource): string | undefined => (r.file.includes('prod') ? 'prod' : undefined)

function expectSameParts(source: SourceText): void {
  const got = firstPassParts(set, source, environmentOf)
  const { resources, diagnostics } = resourcesOf(source)
  const places = firstPassPlaces(source, resources)
  // Without a document that does not parse, the numbering is the whole parse's.
  if (diagnostics.length === 0) expect(places).toBeUndefined()
  expect(got).toStrictEqual(filePartsOf(set, resources, resources.map(environmentOf), places))
  if (places === undefined) {
    const whole = objectsOf(source).resources
    expect(got).toStrictEqual(filePartsOf(set, whole, whole.map(environmentOf)))
  }
}

describe('firstPassParts', () => {
  it('keeps what the whole parse keeps, at the same places, for generated files', () => {
    fc.assert(
      fc.property(headerFileOf, fc.boolean(), (text, prod) => {
        expectSameParts({ path: prod ? 'prod/gen.yaml' : 'gen.yaml', text })
      }),
      { numRuns: 600 },
    )
  })

  it('keeps the same for streams the header read refuses (JSON, CRLF, directives)', () => {
    for (const text of [
      '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}]}',
      'apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: LimitRange\r\n',
      '%YAML 1.1\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n',
    ])
      expectSameParts({ path: 'x.yaml', text })
  })

  it('numbers the resources after a skipped document that does not parse as the second pass does', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: again\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n',
      'apiVersion: v1\nkind: LimitRange\nmetadata:\n  namespace: a\n',
    ].join('---\n')
    const source = { path: 'broken.yaml', text }
    const parts = firstPassParts(set, source, environmentOf)
    // The ConfigMap is counted, not parsed: the Namespace is third-place... second (0-based 1), the LimitRange 2.
    expect([...new Set(parts.parts.map((p) => p.place))]).toStrictEqual([1, 2])
    const { resources } = resourcesOf(source)
    expect(resources.map((r) => r.object.kind)).toStrictEqual(['Namespace', 'LimitRange'])
    expect(firstPassPlaces(source, resources)).toStrictEqual([1, 2])
    expectSameParts(source)
  })

  it('parses the first workload of a namespace and not the ones after it', () => {
    const workload = (name: string, extra = ''): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: a\nspec:\n  template:\n    spec: {}\n${extra}`
    // The second workload does not parse (a duplicate key): skipped, so it is not noticed; the first is kept.
    const text = [workload('one'), workload('two', 'spec: again\n')].join('---\n')
    const parts = firstPassParts(set, { path: 'w.yaml', text }, environmentOf)
    const kept = parts.parts.map((p) => (p.part as KubeObject).metadata)
    expect(kept).toStrictEqual([{ name: 'one', namespace: 'a' }])
  })
})

/** What a run's first pass gives the second: the Namespaces, and each file's outcomes by place and policy. */
function outcomesOfRun(parts: RunParts, sources: readonly SourceText[]): unknown {
  const run = parts.finish()
  const files = sources.map((source, i) => {
    const { resources } = resourcesOf(source)
    const places = firstPassPlaces(source, resources)
    const got = run.outcomesOf(
      i,
      resources.map((r) => r.object),
      resources.map(environmentOf),
      places,
    )
    return [...got].map(([place, list]) => [place, list.map((o) => [o.policy.meta.id, o.outcome])])
  })
  return { namespaces: [...run.namespaces], files }
}

describe('firstPassParts with the first keys of earlier files (EarlierFirsts)', () => {
  it('gives the run the same outcomes when each thread skips what its earlier files gave, files in any order', () => {
    fc.assert(
      fc.property(
        fc.array(headerFileOf, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (texts, keys, threads) => {
          const sources = texts.map((text, i) => ({ path: `f${i}.yaml`, text }))
          const whole = new RunParts(set)
          sources.forEach((source, i) => whole.addParts(i, firstPassParts(set, source, environmentOf)))
          // Files dealt to threads in a shuffled order; each thread remembers its own first keys.
          const order = sources.map((_, i) => i).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b)
          const memos = Array.from({ length: threads }, () => new EarlierFirsts())
          const skipping = new RunParts(set)
          order.forEach((i, n) => {
            const firsts = memos[n % threads] as EarlierFirsts
            skipping.addParts(i, firstPassParts(set, sources[i] as SourceText, environmentOf, { file: i, firsts }))
          })
          expect(outcomesOfRun(skipping, sources)).toStrictEqual(outcomesOfRun(whole, sources))
        },
      ),
      { numRuns: 100 },
    )
  })

  it('does not keep a workload of a namespace an earlier file of the thread gave one of', () => {
    const workload = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: a\nspec: {}\n'
    const firsts = new EarlierFirsts()
    const first = firstPassParts(set, { path: 'a.yaml', text: workload }, environmentOf, { file: 3, firsts })
    const later = firstPassParts(set, { path: 'b.yaml', text: workload }, environmentOf, { file: 5, firsts })
    const earlier = firstPassParts(set, { path: 'c.yaml', text: workload }, environmentOf, { file: 1, firsts })
    expect([first.parts.length, later.parts.length, earlier.parts.length]).toStrictEqual([1, 0, 1])
  })
})

/** A header as the first pass reads it, for an object whose apiVersion and kind are strings. */
function headerObject(object: KubeObject): KubeObject | undefined {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return undefined
  const metadata = object.metadata
  if (metadata !== undefined && metadata !== null && !isRecord(metadata)) return undefined
  const namespace = isRecord(metadata) ? metadata.namespace : undefined
  if (namespace !== undefined && typeof namespace !== 'string') return undefined
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: namespace === undefined ? {} : { namespace } }
}

/** PolicySpec.headerRole's promise, for one object. */
function expectHeaderRoleHolds(object: KubeObject): void {
  const header = headerObject(object)
  if (!header) return
  for (const policy of set.crossResource) {
    const role = policy.headerRole?.(header)
    if (role === undefined || role === 'part') continue
    const part = policy.reads?.(object)
    if (part === undefined) continue
    expect(role, `${policy.meta.id} on ${JSON.stringify(header)}`).not.toBe('none')
    expect(policy.partRole?.(part)).toStrictEqual(role)
  }
}

describe('headerRole of the built-in cross-resource policies', () => {
  it('is declared by each of them', () => {
    expect(set.crossResource.length).toBeGreaterThan(0)
    for (const policy of set.crossResource) expect(policy.headerRole, policy.meta.id).toBeDefined()
  })

  it('says what reads and partRole say, for the resources of the generated fragments', () => {
    let checked = 0
    for (const text of HEADER_FRAGMENTS)
      for (const r of resourcesOf({ path: 'f.yaml', text }).resources) {
        expectHeaderRoleHolds(r.object)
        checked++
      }
    expect(checked).toBeGreaterThan(30)
  })
})

describe.skipIf(!hasCorpus())('firstPassParts over ../shared/corpus', () => {
  it('keeps what the whole parse keeps, at the same places, for every YAML and JSON file', () => {
    const files = yamlFilesUnder(CORPUS_DIR)
    let kept = 0
    for (const path of files) {
      const source = { path, text: readFileSync(path, 'utf8') }
      expectSameParts(source)
      kept += firstPassParts(set, source, environmentOf).parts.length
      for (const r of objectsOf(source).resources) expectHeaderRoleHolds(r.object)
    }
    expect(files.length).toBeGreaterThan(5000)
    expect(kept).toBeGreaterThan(500)
  })
})
