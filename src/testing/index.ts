/**
 * Test helpers: the policy tester (valid/invalid tables through the real YAML layer
 * and engine), real Git repositories in temporary folders, and a CliIo that captures
 * output. Imported only by tests and tools.
 */
export { policyTester, runPolicy } from './policy-tester.js'
export type { Case, InvalidCase, ExpectedError, PolicyRun, RunOptions } from './policy-tester.js'
export { GitFixture } from './git-fixture.js'
export { captureIo } from './capture-io.js'
export { secretSamples, safeSamples } from './secret-samples.js'
export type { SecretSample } from './secret-samples.js'
export { CORPUS_DIR, corpusPath, hasCorpus } from './corpus.js'
export { SUPPLY_BIN, ensureSupplyTools, runTool, startRegistry } from './supply-tools.js'
