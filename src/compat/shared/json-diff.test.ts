import { describe, expect, it } from 'vitest'
import { applyFixOperations } from '../../engine/index.js'
import { diffPatch } from './json-diff.js'

describe('diffPatch', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'added and removed keys, escaped',
      { metadata: { labels: { 'a/b': 'x' } } },
      { metadata: { labels: { 'c~d': 'y' } } },
    ],
    [
      'a list that grew',
      { spec: { containers: [{ name: 'a' }] } },
      { spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b' }] } },
    ],
    [
      'a list that shrank',
      { spec: { volumes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } },
      { spec: { volumes: [{ name: 'a' }] } },
    ],
    ['a scalar that changed type', { spec: { replicas: 1 } }, { spec: { replicas: { n: 1 } } }],
  ]
  it.each(cases)('%s: applying the operations gives the new object', (_name, before, after) => {
    expect(applyFixOperations(before, diffPatch(before, after))).toEqual(after)
  })
  it('is empty for equal objects and names only what changed', () => {
    expect(diffPatch({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([])
    expect(diffPatch({ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 } })).toEqual([{ op: 'replace', path: '/a/c', value: 3 }])
  })
})
