import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeDenseCorpus } from '../tools/bench/dense-corpus.js'
import { interleave, median } from '../tools/bench/measure.js'
import { checkSources } from '../src/pipeline/index.js'
import { createResolver, defaultConfig } from '../src/config/index.js'
import { buildPolicySet } from '../src/app/index.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'palisade-bench-corpus-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('the dense bench corpus (tools/bench/dense-corpus.ts)', () => {
  it('is the same bytes for the same seed, and other bytes for another', () => {
    const a = writeDenseCorpus(path.join(tmp, 'a'), 200, 7)
    const b = writeDenseCorpus(path.join(tmp, 'b'), 200, 7)
    const c = writeDenseCorpus(path.join(tmp, 'c'), 200, 8)
    expect(a.texts).toEqual(b.texts)
    expect(c.texts).not.toEqual(a.texts)
    expect(readFileSync(path.join(tmp, 'a/apps/payments/app-00000/manifests.yaml'), 'utf8')).toBe(a.texts[0])
  })

  it('has resources of about 3 KB with about ten findings each, as the issue asks', () => {
    const g = writeDenseCorpus(path.join(tmp, 'd'), 500, 7)
    expect(g.resources).toBe(500)
    expect(g.bytes / g.resources).toBeGreaterThan(2500)
    expect(g.bytes / g.resources).toBeLessThan(3500)
    const config = defaultConfig('.')
    const result = checkSources(
      g.texts.map((text, i) => ({ path: `f${i}.yaml`, text })),
      {
        policies: buildPolicySet(config, undefined),
        resolver: createResolver(config, new Date('2026-12-06T00:00:00Z')),
      },
    )
    expect(result.summary.resources).toBe(500)
    expect(result.findings.length / 500).toBeGreaterThan(7)
    expect(result.findings.length / 500).toBeLessThan(13)
  })
})

describe('bench measuring helpers (tools/bench/measure.ts)', () => {
  it('interleaves the jobs run by run and takes the middle value', () => {
    const order: string[] = []
    const runs = interleave([() => order.push('a'), () => order.push('b')], 3)
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b'])
    expect(runs.map((r) => r.length)).toEqual([3, 3])
    expect(median([5, 1, 9])).toBe(5)
  })
})
