import { describe, expect, it } from 'vitest'
import { secretsResult } from '../git/index.js'
import { mergeResults } from './index.js'

const secret = (file: string, fingerprint: string) => ({
  rule: 'github-token',
  title: 'GitHub token',
  preview: 'ghp_****',
  fingerprint,
  severity: 'high' as const,
  file,
  line: 1,
  column: 1,
})

describe('mergeResults', () => {
  it('adds the counts of both runs and counts the summary again from the merged findings', () => {
    const a = secretsResult([secret('a.txt', 'f1')], 2, new Map([['a.txt', 'x']]), [
      { code: 'FILE_UNREADABLE', message: 'gone' },
    ])
    const b = secretsResult([secret('b.txt', 'f2'), secret('c.txt', 'f3')], 3, new Map(), [])
    const merged = mergeResults(a, b)
    expect(merged.findings.map((f) => f.fingerprint)).toEqual(['f1', 'f2', 'f3'])
    expect(merged.summary.checks).toEqual({ pass: 2, fail: 3, error: 0, skip: 0 })
    expect(merged.summary.policies).toBe(2)
    expect(merged.summary.findings).toBe(3)
    expect(merged.summary.bySeverity.high).toBe(3)
    expect(merged.summary.byAction.deny).toBe(3)
    expect(merged.summary.errors).toBe(1)
    expect([...merged.sources.keys()]).toEqual(['a.txt'])
  })
})
