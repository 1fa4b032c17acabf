/**
 * The application layer: the use cases every front end (cli, server, and what comes next:
 * fix, audit, drift, record) calls. An I/O edge (files, git, helm) over the pure modules,
 * with no argument parsing and no printing: it returns complete results.
 *
 *   loadPolicySet(options, io)      -> PolicySet      the one policy assembly (scan, serve, install, hook)
 *   collectInputs(paths, opts, ...) -> Inputs         render, read, parse, --validate-schema
 *   runScan(options, io)            -> ScanOutcome    a complete, redacted CheckResult and its blocking rule
 */
export type { AppIo, ProgressSink } from './io.js'
export { loadConfig, ConfigError } from './load-config.js'
export { buildPolicySet, SelectionError } from './policy-selection.js'
export { loadPolicySet, loadServePolicies, watchedPaths } from './policy-set.js'
export type { PolicyOptions, LoadPolicyOptions, PolicySet } from './policy-set.js'
export { CREDENTIAL_POLICY_ID, scanPolicySpecs } from './credential-policy.js'
export { withPssVersion } from './pss-version.js'
export { evalLimits } from './eval-limits.js'
export { loadUserPolicies, loadUserPolicyDocuments, withDeclaredActions } from './user-policies.js'
export type { UserPolicies } from './user-policies.js'
export { YamlFiles, findFiles } from './yaml-files.js'
export type { LoadedDocument } from './yaml-files.js'
export { builtinPodSecurity } from './pod-security.js'
export { collectInputs, renderBase, requireExistingPaths } from './collect-inputs.js'
export type { InputOptions, Inputs } from './collect-inputs.js'
export { loadSources } from './load-sources.js'
export { renderGitOps } from './render-gitops.js'
export type { RenderFlags } from './render-gitops.js'
export { validateSchemas } from './validate-schema.js'
export type { SchemaSummary } from './validate-schema.js'
export { runScan } from './scan.js'
export type { ScanOptions, ScanOutcome } from './scan.js'
export { compareWithBaseline, repositoryOfPaths, baselineCommit } from './baseline.js'
export type { BaselineOptions } from './baseline.js'
export { redactedResult, withMaskedStrings, masked } from './redact-result.js'
export { withRedactedSources } from './redact-sources.js'
export { markdownLinks } from './markdown-links.js'
export { checkStaged, mergeResults } from './pre-commit.js'
export { runSecretScan, secretOptions, scanStaged, scanWorkingTree } from './secret-scan.js'
export type { SecretScanRequest } from './secret-scan.js'
export { collectTestRows } from './kyverno-tests.js'
export { verifyCommits } from './verify-commits.js'
export type { VerifyCommitsRequest } from './verify-commits.js'
export { exportVap } from './export-vap.js'
export type { ExportVapRequest } from './export-vap.js'
