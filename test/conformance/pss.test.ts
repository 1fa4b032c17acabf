import { describe, expect, it } from 'vitest'
import { PSS_LATEST_MINOR } from '../../src/policies/index.js'
import { corpusPath, hasCorpus } from '../../src/testing/corpus.js'
import { loadPssFixtures, runPssConformance } from '../../tools/conformance/pss-conformance.js'

// The normative spec: kubernetes/pod-security-admission's own fixtures, read from the shared corpus.
const corpus = `${corpusPath('pss-fixtures')}/`

describe.skipIf(!hasCorpus())('Pod Security Standards conformance', () => {
  it('reads every fixture with its level, version, verdict and check', () => {
    const fixtures = loadPssFixtures(corpus)
    expect(fixtures.length).toBeGreaterThan(3000)
    expect(new Set(fixtures.map((f) => f.minor))).toEqual(
      new Set(Array.from({ length: PSS_LATEST_MINOR + 1 }, (_, i) => i)),
    )
    expect(fixtures.filter((f) => f.expected === 'deny').every((f) => f.check !== '')).toBe(true)
  })

  it(
    'agrees with every fixture at every version (pinned by --pss-version and by the namespace label), as Pod, Deployment and CronJob',
    { timeout: 300_000 },
    () => {
      const cases = runPssConformance(corpus, { pinnings: ['flag', 'label'] })
      const disagreements = cases
        .filter((c) => !c.agrees)
        .map((c) => `${c.fixture.path} as ${c.wrapper} (${c.pinning}): reported [${c.reported.join(', ')}]`)
      expect(disagreements).toEqual([])
      expect(cases.length).toBeGreaterThan(18_000)
    },
  )

  it('agrees with every latest fixture without any pinning', { timeout: 120_000 }, () => {
    const cases = runPssConformance(corpus, { pinnings: ['unpinned'], only: (f) => f.minor === PSS_LATEST_MINOR })
    expect(cases.filter((c) => !c.agrees).map((c) => c.fixture.path)).toEqual([])
    expect(cases.length).toBeGreaterThan(300)
  })

  it('needs pinning: older fixtures disagree with the latest policy', { timeout: 120_000 }, () => {
    // If this ever agreed everywhere, the version mechanism would not be doing anything.
    const old = runPssConformance(corpus, { pinnings: ['unpinned'], wrappers: ['Pod'], only: (f) => f.minor < 19 })
    expect(old.some((c) => !c.agrees)).toBe(true)
  })
})
