/**
 * Test helpers: the policy tester (valid/invalid tables through the real YAML layer
 * and engine). Imported only by tests and tools.
 */
export { policyTester, runPolicy } from './policy-tester.js'
export type { Case, InvalidCase, ExpectedError, PolicyRun, RunOptions } from './policy-tester.js'
