import { describe, expect, it } from 'vitest'
import { timeToFix } from './time-to-fix.js'

const exact = (n: number): number => n

describe('time to fix from fixes grouped by hours', () => {
  it('interpolates the p90 between the values either side of 0.9 x (count - 1), as percentile_cont', () => {
    const one = Array.from({ length: 10 }, (_, i) => ({ severity: 'high' as const, hours: i + 1, n: 1 }))
    expect(timeToFix(one, exact)).toEqual([
      { severity: 'all', fixed: 10, meanHours: 5.5, p90Hours: 9 + (10 - 9) * (0.9 * 9 - 8) },
      { severity: 'high', fixed: 10, meanHours: 5.5, p90Hours: 9 + (10 - 9) * (0.9 * 9 - 8) },
    ])
  })

  it('counts a group as that many fixes, per severity and overall', () => {
    // high: 2, 2, 2, 10 -> position 2.7 lies between the third 2 and the 10.
    const groups = [
      { severity: 'high' as const, hours: 10, n: 1 },
      { severity: 'high' as const, hours: 2, n: 3 },
      { severity: 'low' as const, hours: 48, n: 2 },
    ]
    const [all, high, low] = timeToFix(groups, exact)
    expect(high).toEqual({ severity: 'high', fixed: 4, meanHours: 4, p90Hours: 2 + (10 - 2) * (0.9 * 3 - 2) })
    expect(low).toEqual({ severity: 'low', fixed: 2, meanHours: 48, p90Hours: 48 })
    // all: 2, 2, 2, 10, 48, 48 -> position 4.5: between 48 and 48.
    expect(all).toEqual({ severity: 'all', fixed: 6, meanHours: (6 + 10 + 96) / 6, p90Hours: 48 })
  })

  it('gives nothing when nothing was fixed', () => {
    expect(timeToFix([], exact)).toEqual([])
  })
})
