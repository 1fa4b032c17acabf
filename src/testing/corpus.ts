import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The shared test corpus: real repositories and fixtures written by others, kept next to
 * the repository in ../shared/corpus (DESIGN.md) and never copied into it. A user's fresh
 * clone does not have it, so the tests that read it skip there; CI sets
 * PALISADE_REQUIRE_CORPUS=1 (.ci/run), and then a missing corpus fails the run instead.
 */
export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url))

/** A path inside the shared corpus, e.g. corpusPath('repos', 'podinfo'). */
export function corpusPath(...parts: string[]): string {
  return path.join(CORPUS_DIR, ...parts)
}

/** The line printed once per run when the corpus is absent (by the vitest global setup). */
export function corpusSkipLine(): string {
  return `palisade tests: ${CORPUS_DIR} not found: the tests that read the shared corpus are skipped (listed as skipped); set PALISADE_REQUIRE_CORPUS=1 to make a missing corpus an error`
}

/**
 * True when the shared corpus is there. When it is not: false (use it with describe.skipIf /
 * it.skipIf), or, with PALISADE_REQUIRE_CORPUS=1, an error that fails the test file.
 *
 * @example
 * describe.skipIf(!hasCorpus())('podinfo', () => { ... })
 */
export function hasCorpus(
  env: Readonly<Record<string, string | undefined>> = process.env,
  dir: string = CORPUS_DIR,
): boolean {
  if (existsSync(dir)) return true
  if (env.PALISADE_REQUIRE_CORPUS === '1')
    throw new Error(
      `PALISADE_REQUIRE_CORPUS=1 but the shared corpus is missing: ${dir} (expected ../shared/corpus next to the repository)`,
    )
  return false
}
