import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ENTROPY } from './entropy.js'
import { isSecretName, judgeAssignment } from './keyed-rules.js'
import { mayJudgeAssignments, scanText } from './scan-text.js'

/** A ConfigMap's properties file: hundreds of settings, none of them secret. */
const settings = Array.from({ length: 300 }, (_, i) => `cache.shard.${i}=alpha-delta-${i * 7919}`).join('\n')

describe('scanText prefilter (assignment rules)', () => {
  it('still finds a random-looking value on one line of a long properties text', () => {
    const hits = scanText(`${settings}\nupstream.session=Zq8vN3xTb7LmR2pK9sWd4YhC6\n${settings}`)
    expect(hits.map((h) => [h.rule, h.secret])).toEqual([['high-entropy-value', 'Zq8vN3xTb7LmR2pK9sWd4YhC6']])
  })

  it('still finds a value under a secret-named key in a long properties text', () => {
    const hits = scanText(`${settings}\ndb.password=Pr0duction!x\n`)
    expect(hits.map((h) => [h.rule, h.secret])).toEqual([['hardcoded-secret', 'Pr0duction!x']])
  })

  it('rules out a text with no secret word and no random-looking run', () => {
    expect(mayJudgeAssignments(settings, DEFAULT_ENTROPY, true)).toBe(false)
    expect(scanText(settings)).toEqual([])
  })

  it('never rules out a line the assignment rules would judge a secret', () => {
    const chars = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.+/=~!@ '.split(''),
    )
    const word = fc.oneof(
      fc.string({ unit: chars, minLength: 1, maxLength: 40 }),
      fc.constantFrom('password', 'apiKey', 'TOKEN', 'secret', 'Pwd', 'name', 'url'),
    )
    fc.assert(
      fc.property(word, word, (key, value) => {
        const hit = judgeAssignment(key, value, DEFAULT_ENTROPY)
        if (hit) expect(mayJudgeAssignments(`${settings}\n${key}=${value}\n`, DEFAULT_ENTROPY, true)).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('isSecretName prefilter', () => {
  it('agrees with the key rules on names with and without secret words', () => {
    expect(['password', 'dbPassword', 'API_KEY', 'client-secret', 'auth.token', 'PWD'].map(isSecretName)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ])
    expect(['cache.size', 'passwordRef', 'secretName', 'tokenFile', 'keyboard'].map(isSecretName)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ])
  })
})
