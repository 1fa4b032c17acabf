import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasCorpus } from './corpus.js'

describe('hasCorpus', () => {
  const present = mkdtempSync(path.join(tmpdir(), 'palisade-corpus-'))
  const absent = path.join(present, 'no-such-corpus')

  it('is true when the corpus folder is there', () => {
    expect(hasCorpus({}, present)).toBe(true)
    rmSync(present, { recursive: true, force: true })
  })

  it('is false when it is absent, so the tests that read it skip on a fresh clone', () => {
    expect(hasCorpus({}, absent)).toBe(false)
  })

  it('fails when it is absent and PALISADE_REQUIRE_CORPUS=1 (CI)', () => {
    expect(() => hasCorpus({ PALISADE_REQUIRE_CORPUS: '1' }, absent)).toThrow(
      /PALISADE_REQUIRE_CORPUS=1 but the shared corpus is missing/,
    )
  })
})
