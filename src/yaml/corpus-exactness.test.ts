import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { LineCounter, parseAllDocuments, type Tags } from 'yaml'
import { describe, expect, it } from 'vitest'
import { corpusPath, hasCorpus } from '../testing/corpus.js'
import { parseManifests } from './index.js'
import { referencePositions } from './reference-walk.test-support.js'

const corpus = corpusPath('repos')
const noCorpus = !hasCorpus()

/** Helm templates are Go templates, not YAML: skip `templates/` folders of charts. */
function isHelmTemplate(path: string): boolean {
  for (let dir = dirname(path); dir.startsWith(corpus) && dir !== corpus; dir = dirname(dir)) {
    if (dir.endsWith('/templates') && existsSync(join(dirname(dir), 'Chart.yaml'))) return true
  }
  return false
}

function manifestFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) manifestFiles(path, out)
    else if (/\.ya?ml$/.test(name) && !isHelmTemplate(path)) out.push(path)
  }
  return out
}

/*
 * The reference reading: `yaml` with YAML 1.1 rules and merge keys, minus the two 1.1 types
 * that go-yaml v2 leaves as strings when decoding for kubectl: timestamps and base-60
 * numbers (`12:30`).
 */
const kubectlLikeTags = (tags: Tags) =>
  tags.filter((tag) => typeof tag === 'string' || (tag.tag !== 'tag:yaml.org,2002:timestamp' && !('format' in tag && tag.format === 'TIME')))

/**
 * Where the two readings may still differ, by rule: go-yaml reads Go integer literals that
 * YAML 1.1 does not have (`0o17`, `0X1F`), and `yaml` 1.1 reads `e0` or `.` as NaN.
 */
function explainedDifference(mine: unknown, theirs: unknown): boolean {
  if (typeof mine === 'number' && typeof theirs === 'string') return /^[-+]?0[oObBxX]/.test(theirs)
  return typeof theirs === 'number' && Number.isNaN(theirs) && typeof mine === 'string'
}

function compareValues(mine: unknown, theirs: unknown, pointer: string, mismatches: string[]): void {
  if (mine !== null && theirs !== null && typeof mine === 'object' && typeof theirs === 'object') {
    const keys = new Set([...Object.keys(mine), ...Object.keys(theirs)])
    for (const key of keys) compareValues((mine as Record<string, unknown>)[key], (theirs as Record<string, unknown>)[key], `${pointer}/${key}`, mismatches)
  } else if (!Object.is(mine, theirs) && !explainedDifference(mine, theirs)) {
    mismatches.push(`${pointer}: ${JSON.stringify(mine)} vs ${JSON.stringify(theirs)}`)
  }
}

const files = noCorpus ? [] : manifestFiles(corpus)

// Both readers, the fast one (the default) and js-yaml's events, are held to the same reference.
describe.skipIf(noCorpus).each([
  ['fast path', {}],
  ['js-yaml path', { fastPath: false }],
] as const)('exactness over real GitOps repositories, %s', (_reader, options) => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(50)
  })

  it('agrees with yaml on every value and every pointer position', () => {
    let checkedFiles = 0
    let checkedPointers = 0
    const mismatches: string[] = []
    for (const path of files) {
      const text = readFileSync(path, 'utf8')
      const lines = new LineCounter()
      const reference = parseAllDocuments(text, { lineCounter: lines, version: '1.1', merge: true, customTags: kubectlLikeTags })
      if (!Array.isArray(reference) || reference.some((doc) => doc.errors.length > 0)) continue
      const name = relative(corpus, path)
      const { documents, diagnostics } = parseManifests(text, name, options)
      expect(diagnostics, name).toEqual([])
      expect(documents.map((d) => d.index), name).toEqual([...reference.keys()])
      checkedFiles++
      reference.forEach((doc, index) => {
        const mine = documents[index]!
        compareValues(mine.object, doc.toJS({ maxAliasCount: -1 }), `${name}#${index}`, mismatches)
        for (const node of referencePositions(doc, lines)) {
          checkedPointers++
          const { span, exact } = mine.locate(node.pointer)
          if (!exact || span.start.line !== node.line || span.start.column !== node.column || span.start.offset !== node.offset) {
            mismatches.push(`${name}#${index} ${node.pointer}: ${span.start.line}:${span.start.column} (exact=${exact}) vs ${node.line}:${node.column}`)
          }
        }
      })
    }
    expect(mismatches.slice(0, 20)).toEqual([])
    expect(checkedFiles).toBeGreaterThan(50)
    expect(checkedPointers).toBeGreaterThan(1000)
  })
})
