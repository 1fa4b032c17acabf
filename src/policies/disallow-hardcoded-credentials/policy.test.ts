import { describe, expect, it } from 'vitest'
import { compilePolicySet, evaluate } from '../../engine/index.js'
import { secretFingerprint } from '../../secrets/index.js'
import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-references.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-literals.yaml'),
      errors: [
        { messageId: 'hardcodedSecret', path: '/spec/template/spec/containers/0/env/1/value', line: 19, column: 15 },
        { messageId: 'urlPassword', path: '/spec/template/spec/containers/0/env/2/value', line: 21, column: 15 },
      ],
      output: null,
    },
  ],
})

const allowed = policyTester(import.meta.url)
allowed.run(policy, {
  params: { allow: [secretFingerprint('Vq7mLx2-pR9w')] },
  valid: [],
  invalid: [
    {
      ...allowed.fixture('invalid-literals.yaml'),
      name: 'an allowed fingerprint is not reported, the other credential is',
      errors: [
        { messageId: 'urlPassword', path: '/spec/template/spec/containers/0/env/2/value', line: 21, column: 15 },
      ],
      output: null,
    },
  ],
})

describe('the entropy parameters', () => {
  const object = (note: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { note } })
  const messages = (note: string, params: Record<string, unknown>): string[] =>
    evaluate(compilePolicySet([policy], { [policy.id]: params }).set, object(note)).flatMap((e) =>
      e.outcome.violations.map((v) => v.messageId),
    )
  // Built at run time so this file holds no literal secret-looking value.
  const random = `Qz8${'vLm2Xc9Rt4Bn'}7Kp3Wd5Hy6Jf`
  const repetitive = `Kq7Lm2${'Xv9Rt4'}Kq7Lm2Xv9Rt4Kq7Lm2`

  it('entropyMinLength: a random value is reported at the default, not under a longer minimum', () => {
    expect(messages(random, {})).toEqual(['highEntropyValue'])
    expect(messages(random, { entropyMinLength: 40 })).toEqual([])
  })

  it('entropyBitsPerChar: a repetitive value (3.6 bits per character) is reported only under a lower threshold', () => {
    expect(messages(repetitive, {})).toEqual([])
    expect(messages(repetitive, { entropyBitsPerChar: 3.5 })).toEqual(['highEntropyValue'])
  })
})
