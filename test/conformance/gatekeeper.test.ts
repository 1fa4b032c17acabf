import { describe, expect, it } from 'vitest'
import { corpusPath, hasCorpus } from '../../src/testing/corpus.js'
import { runGatekeeperConformance } from '../../tools/conformance/gatekeeper-conformance.js'
import { runCompliance } from '../../tools/conformance/rego-compliance.js'

describe.skipIf(!hasCorpus())('Gatekeeper library conformance (gator suites)', () => {
  it(
    'every case of a template with a CEL engine agrees on CEL, and at least 95% of cases agree on Rego',
    { timeout: 120_000 },
    () => {
      const { results, problems } = runGatekeeperConformance(`${corpusPath('gatekeeper-library')}/`)
      expect(problems).toEqual([])
      const cel = results.filter((r) => r.engine === 'K8sNativeValidation')
      const rego = results.filter((r) => r.engine === 'Rego')
      expect(cel.length).toBeGreaterThan(50)
      expect(rego.length).toBeGreaterThan(150)
      expect(cel.filter((r) => !r.agrees).map((r) => `${r.test} / ${r.name}: ${r.reasons.join('; ')}`)).toEqual([])
      expect(rego.filter((r) => r.agrees).length / rego.length).toBeGreaterThanOrEqual(0.95)
    },
  )
})

describe.skipIf(!hasCorpus())("OPA's Rego compliance cases", () => {
  it('agree on at least 90% of all cases', { timeout: 60_000 }, () => {
    const cases = runCompliance(`${corpusPath('opa-compliance')}/`)
    expect(cases.length).toBeGreaterThan(150)
    expect(new Set(cases.map((c) => c.folder)).size).toBeGreaterThanOrEqual(20)
    expect(cases.filter((c) => c.agrees).length / cases.length).toBeGreaterThanOrEqual(0.9)
  })
})
