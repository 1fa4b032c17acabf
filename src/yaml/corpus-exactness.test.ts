import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CORPUS_DIR, hasCorpus } from '../testing/corpus.js'
import { disagreements, type Disagreement } from './reference-reading.test-support.js'

/*
 * Every .yaml and .yml file of ../shared/corpus (real repositories, policy libraries, Helm
 * charts with their templates: a template that is not YAML must be refused by both), read by
 * parseManifests and by the reference (reference-reading.test-support.ts: `yaml` with
 * go-yaml's scalar rules). Both must accept or both refuse each document; when both accept,
 * values and the position of every pointer must agree.
 */

const corpus = CORPUS_DIR
const present = hasCorpus()

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    const stat = lstatSync(path)
    if (stat.isDirectory()) yamlFiles(path, out)
    else if (stat.isFile() && /\.ya?ml$/i.test(name)) out.push(path)
  }
  return out
}

const files = present ? yamlFiles(corpus) : []

// Both readers, the fast one (the default) and js-yaml's events, are held to the same reference.
describe.skipIf(!present).each([
  ['fast path', {}],
  ['js-yaml path', { fastPath: false }],
] as const)('exactness over every YAML file of ../shared/corpus, %s', (_reader, options) => {
  it('agrees with yaml on accepting each document, on every value and every pointer position', () => {
    const found: string[] = []
    const explained: string[] = []
    let accepted = 0
    for (const path of files) {
      const name = relative(corpus, path)
      const text = readFileSync(path, 'utf8')
      const result: Disagreement[] = disagreements(text, options)
      for (const d of result) (d.kind === 'explained' ? explained : found).push(`${name}: ${d.kind}: ${d.detail}`)
      if (result.length === 0 && text.trim() !== '') accepted++
    }
    console.log(
      `corpus-exactness (${_reader}): ${files.length} files, ${found.length} disagreements, ${explained.length} explained differences`,
    )
    expect(found.slice(0, 20)).toEqual([])
    expect(files.length).toBeGreaterThan(5000)
    expect(accepted).toBeGreaterThan(5000)
  })
})
