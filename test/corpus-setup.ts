import { corpusSkipLine, hasCorpus } from '../src/testing/corpus.js'

/**
 * Vitest global setup: say once, in one line, that the tests reading ../shared/corpus are
 * skipped because it is absent; with PALISADE_REQUIRE_CORPUS=1 (CI) a missing corpus fails the run.
 */
export default function setup(): void {
  if (!hasCorpus()) process.stderr.write(`${corpusSkipLine()}\n`)
}
