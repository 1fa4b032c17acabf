import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { handWrittenYaml, realWorldYaml } from './hand-written-yaml.test-support.js'
import { disagreements, referenceReading, type Disagreement } from './reference-reading.test-support.js'

/*
 * Differential test of parseManifests (fast path and js-yaml path) against the reference
 * reading (`yaml` with go-yaml's scalar rules, reference-reading.test-support.ts) on
 * generated texts, valid and near-valid: both accept or both refuse each document, and
 * when both accept, values and the position of every pointer agree. The corpus side of the
 * same property is corpus-exactness.test.ts.
 */

/**
 * A known difference, not a disagreement: js-yaml refuses an explicit key that a merge (`<<`)
 * also provides when the key is a null or a boolean (`<<: {~: 1}` then `~: 2`), where `yaml`
 * lets the explicit key win (README.md, "Known differences").
 */
function known(d: Disagreement, text: string): boolean {
  return (
    d.kind === 'explained' ||
    (d.kind === 'we reject, yaml accepts' &&
      d.detail === 'Invalid YAML: duplicated mapping key.' &&
      text.includes('<<'))
  )
}

/** Asserts that parseManifests and the reference agree on `text`; returns whether they agree without any explained difference. */
function expectAgreement(text: string, options: { fastPath?: boolean }, counts: { explained: number }): boolean {
  const found = disagreements(text, options)
  counts.explained += found.filter((d) => known(d, text)).length
  expect(
    found.filter((d) => !known(d, text)),
    JSON.stringify(text),
  ).toEqual([])
  return found.length === 0
}

/**
 * A fixed seed: the same generated texts on every run, so CI judges the code, not the draw.
 * Unpinned runs found one open disagreement (README.md, "Known differences": a flow mapping
 * whose comma starts a line at column 0, after a comment, inside a nested block sequence);
 * set PALISADE_FUZZ_SEED to explore other draws.
 */
const SEED = process.env.PALISADE_FUZZ_SEED === undefined ? 42 : Number(process.env.PALISADE_FUZZ_SEED)

describe.each([
  ['fast path', {}],
  ['js-yaml path', { fastPath: false }],
] as const)('parseManifests agrees with the yaml reference, %s', (name, options) => {
  it('on real-world constructs: multi-line flow collections, tabs, on: keys, block scalar indicators', () => {
    const counts = { explained: 0 }
    let accepted = 0
    fc.assert(
      fc.property(realWorldYaml, (text) => {
        if (expectAgreement(text, options, counts) && referenceReading(text).documents.every((d) => d.ok)) accepted++
      }),
      { numRuns: 300, seed: SEED },
    )
    // The generator must yield valid documents too, not only refusals. About a third of 300
    // random texts are valid (92 to 130 seen); a floor of 60 keeps that check without flaking.
    expect(accepted).toBeGreaterThan(60)
  })

  it('on hand-written YAML, valid and near-valid', () => {
    const counts = { explained: 0 }
    fc.assert(
      fc.property(handWrittenYaml, (text) => {
        expectAgreement(text, options, counts)
      }),
      { numRuns: 500, seed: SEED },
    )
    console.log(
      `yaml-differential (${name}): ${counts.explained} explained differences in multi-line scalar whitespace or merged null/boolean keys`,
    )
  })
})
