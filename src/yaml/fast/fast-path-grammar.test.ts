import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expectSameReading } from './fast-path.test-support.js'
import { handWrittenYaml as stream } from '../hand-written-yaml.test-support.js'

/*
 * Hand-written YAML (hand-written-yaml.test-support.ts). Much of it is invalid; the fast path
 * must then give up, and where it does not, it must read exactly what js-yaml reads.
 */

describe('hand-written YAML', () => {
  it('the fast path gives up or reads exactly what js-yaml reads', () => {
    let seen = 0
    let taken = 0
    fc.assert(
      fc.property(stream, (source) => {
        seen++
        if (expectSameReading(source)) taken++
      }),
      { numRuns: 3000 },
    )
    expect(taken / seen).toBeGreaterThan(0.1)
  })
})
