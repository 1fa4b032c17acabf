/**
 * The application layer: the use cases every front end (cli, server, and what comes next:
 * fix, audit, drift, record) calls. An I/O edge (files, git, helm) over the pure modules,
 * with no argument parsing and no printing: it returns complete results.
 *
 *   loadPolicySet(options, io)      -> PolicySet      the one policy assembly (scan, serve, install, hook)
 *   collectInputs(paths, opts, ...) -> Inputs         render, read, parse, --validate-schema
 *   runScan(options, io)            -> ScanOutcome    a complete, redacted CheckResult and its blocking rule
 */
import type { runAudit as auditUseCase } from './audit.js'
import type { runDrift as driftUseCase } from './drift.js'
import type { exportVap as exportVapUseCase } from './export-vap.js'
import type { runFix as fixUseCase } from './fix.js'
import type { importHistory as historyUseCase } from './history-import.js'
import type { collectTestRows as testRowsUseCase } from './kyverno-tests.js'
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
export { runScan, prepareScan } from './scan.js'
export type { ScanOptions, ScanOutcome, PreparedScan } from './scan.js'
export { runStreamingScan } from './stream-scan.js'
export type { StreamTuning } from './stream-scan.js'
export type { StreamedScan } from './stream-report.js'
export { findingSerializer } from './finding-serializer.js'
export type { FindingSerializer, StreamFormat } from './finding-serializer.js'
export { runStreamWorker } from './stream-worker.js'
export { compareWithBaseline, repositoryOfPaths, baselineCommit, baselineOf } from './baseline.js'
export type { BaselineOptions } from './baseline.js'
export { redactedResult, withMaskedStrings, masked } from './redact-result.js'
export { withRedactedSources } from './redact-sources.js'
export { maskedFixOutcome } from './redact-fix.js'
export { markdownLinks } from './markdown-links.js'
export { checkStaged, mergeResults } from './pre-commit.js'
export { runSecretScan, secretOptions, scanStaged, scanWorkingTree } from './secret-scan.js'
export type { SecretScanRequest } from './secret-scan.js'
export type { AuditOptions, AuditOutcome } from './audit.js'
export type { DriftOptions, DriftOutcome } from './drift.js'
export type { ClusterFlags } from './cluster-access.js'
export type { FixOptions, FixRun } from './fix.js'
export { proveFixes } from './fix-proof.js'
export { withImageRules, admissionImageRules, compileImagePolicies } from './image-rules.js'
export type { ImageOptions } from './image-rules.js'
export { recordScanOutcome } from './record-scan.js'
export { refRewrite, type RefRewrite } from './ref-rewrite.js'
export type { RecordContext } from './record-scan.js'
export type { HistoryImportOptions, HistoryImport, HistoryPlan } from './history-import.js'
export { DEFAULT_MAX_HISTORY_COMMITS } from './history-window.js'
export { runOrigin, repoIdentity } from './run-origin.js'
export type { RunOrigin } from './run-origin.js'
export { verifyCommits } from './verify-commits.js'
export type { VerifyCommitsRequest } from './verify-commits.js'
export { chooseBaseline, pullRequestCommits } from './synthetic-merge.js'
export type { BaselineChoice, SkippedMerge, VerifiedMerge } from './synthetic-merge.js'
export type { ExportVapRequest } from './export-vap.js'
export { confinedStoreDir } from './store-path.js'
export { removeOnInterrupt } from './interrupt-cleanup.js'

// Use cases a scan never calls, loaded on their first call: importing them here statically
// made every command initialise the cluster client (and Node's https, tls and http), the
// fix prover, the store's history import and the Kyverno/Gatekeeper compatibility layer
// (jmespath, the Rego engine, ajv) at start-up, a cost `palisade scan` paid on every commit
// (docs/performance.md, "Start-up: the pre-commit path"). Their types are imported only.

/** Audit a live cluster against the policies (see audit.ts). */
export const runAudit: typeof auditUseCase = async (...args) => (await import('./audit.js')).runAudit(...args)
/** Compare what Git would deploy with what runs in the cluster (see drift.ts). */
export const runDrift: typeof driftUseCase = async (...args) => (await import('./drift.js')).runDrift(...args)
/** Fix findings in the scanned files, each fix proven before it is written (see fix.ts). */
export const runFix: typeof fixUseCase = async (...args) => (await import('./fix.js')).runFix(...args)
/** Record past commits of a repository in the store (see history-import.ts). */
export const importHistory: typeof historyUseCase = async (...args) =>
  (await import('./history-import.js')).importHistory(...args)
/** Export policies as ValidatingAdmissionPolicies (see export-vap.ts). */
export const exportVap: typeof exportVapUseCase = async (...args) =>
  (await import('./export-vap.js')).exportVap(...args)
/** Find and run every Kyverno test file below a folder (see kyverno-tests.ts). */
export async function collectTestRows(
  ...args: Parameters<typeof testRowsUseCase>
): Promise<ReturnType<typeof testRowsUseCase>> {
  return (await import('./kyverno-tests.js')).collectTestRows(...args)
}
