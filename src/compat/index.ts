/**
 * Policies teams already have, run unchanged: Kyverno ClusterPolicy / Policy (kyverno/),
 * Kyverno CEL policies and Kubernetes ValidatingAdmissionPolicies (vap/), Gatekeeper
 * ConstraintTemplates and Constraints on Rego and CEL (gatekeeper/), the Kyverno CLI test
 * format (kyverno/test/) and gator suites, and the export of built-in policies as native VAPs.
 * Pure: files are read by the caller.
 */
export { loadPolicyDocuments, isPolicyDocument, POLICY_KINDS } from './load.js'
export type { PolicyDocument, UserPolicy } from './load.js'
export { createJmespath } from './kyverno/jmespath.js'
export type { Jmespath } from './kyverno/jmespath.js'
export { UNSUPPORTED_HOOKS, defaultHooks } from './kyverno/hooks.js'
export type { RuleHooks } from './kyverno/policy.js'
export type { PodSecurityEvaluator, PodSecurityFailure } from './kyverno/pod-security.js'
export type { RuleResponse, RuleStatus } from './shared/rule-response.js'
export { runKyvernoTest, tidy, withDefaultNamespace } from './kyverno/test/run-test.js'
export type { TestRow, TestInput } from './kyverno/test/run-test.js'
export type { PolicyRunEnv, RunnablePolicy } from './run-env.js'
export { readTestSpec } from './kyverno/test/test-spec.js'
export type { TestSpec, TestExpectation } from './kyverno/test/test-spec.js'
export { readValues, readUserInfo, readContextResources, readContextImages, NO_VALUES } from './kyverno/test/values.js'
export type { TestValues } from './kyverno/test/values.js'
export { NO_USER } from './kyverno/request.js'
export type { UserInfo } from './kyverno/request.js'
export { toCompiledPolicies } from './compiled.js'
export type { ScanOptions } from './compiled.js'
export { exportBuiltinPolicies, exportUserDocuments } from './vap/export.js'
export type { ExportResult, ExportedPolicy, ExportOptions } from './vap/export.js'
export { runSuite as runGatorSuite } from './gatekeeper/suite.js'
export type { SuiteRow } from './gatekeeper/suite.js'
export { exportGatekeeperDocuments } from './gatekeeper/export.js'
