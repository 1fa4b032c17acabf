import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CORPUS_DIR, hasCorpus } from '../src/testing/corpus.js'
import { compareScanners } from '../tools/compare/other-scanners-run.js'

const corpus = CORPUS_DIR
const noCorpus = !hasCorpus()
const page = readFileSync(fileURLToPath(new URL('../docs/comparison.md', import.meta.url)), 'utf8')

describe.skipIf(noCorpus)('comparison with Polaris, kube-score and kubesec', () => {
  const { comparisons } = noCorpus ? { comparisons: [] } : compareScanners(corpus)

  it('compares every mapped check of the three tools', () => {
    for (const tool of ['polaris', 'kube-score', 'kubesec'])
      expect(comparisons.filter((c) => c.tool === tool).length, tool).toBeGreaterThan(20)
  })

  it('explains every disagreement in docs/comparison.md', () => {
    const unexplained = comparisons
      .filter((c) => !c.agrees && !page.includes(`\`${c.file}\``))
      .map((c) => `${c.tool} ${c.check} ${c.file}`)
    expect(unexplained).toEqual([])
  })

  it('lists no agreeing fixture as a disagreement', () => {
    const agreeing = comparisons.filter(
      (c) => c.agrees && page.includes(`\`${c.file}\``) && !comparisons.some((d) => !d.agrees && d.file === c.file),
    )
    expect(agreeing.map((c) => c.file)).toEqual([])
  })
})
