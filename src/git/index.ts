/**
 * Git as a source of truth for pull-request gates: read trees, the index and commits
 * by spawning the git binary (never touching the working tree or the index), verify
 * commit signatures in-process (SSH and OpenPGP), detect secrets, compare a base and
 * a head for findings and for security-weakening changes. The I/O files spawn git;
 * parsing and verification live in separate pure files.
 */
export { runGit } from './git-process.js'
export { checkOutTree } from './check-out-tree.js'
export type { CheckedOutTree } from './check-out-tree.js'
export type { GitOptions, GitOutput } from './git-process.js'
export {
  openRepository,
  hooksDir,
  resolveCommit,
  listCommits,
  readObjects,
  listTree,
  listIndex,
  stagedPaths,
  changedPaths,
  commitPatch,
} from './repository.js'
export type { Repository } from './repository.js'
export type { GitObject, TreeEntry } from './object-format.js'
export { parseCommitObject, parseIdent, formatIdent } from './commit-object.js'
export type { CommitObject, Ident } from './commit-object.js'
export { parseSshSignature, verifySshSignature, sshSignedData } from './sshsig.js'
export type { SshSignature } from './sshsig.js'
export { parseSshPublicKey, sshFingerprint } from './ssh-public-key.js'
export type { SshPublicKey } from './ssh-public-key.js'
export { parseAllowedSigners, matchPatternList, parseSshTime } from './allowed-signers.js'
export type { AllowedSigner } from './allowed-signers.js'
export { readPgpKeys, verifyPgpSignature } from './openpgp-verify.js'
export type { TrustedPgpKey, PgpVerdict } from './openpgp-verify.js'
export { verifyCommitSignature, checkCommit, isGroupMember } from './verify-commit.js'
export type { TrustStore, SigningRules, Signer, CommitProblem, CommitFinding } from './verify-commit.js'
export { loadTrustStore } from './trust-store.js'
export { verifyRange } from './verify-range.js'
export { checkSyntheticMerge, judgeMerge } from './synthetic-merge.js'
export type { SyntheticMerge, MergeJudgement, MergeFacts } from './synthetic-merge.js'
export { checkRevision, parseRevisionRange } from './revision-range.js'
export type { RevisionRange } from './revision-range.js'
export type { RangeVerification } from './verify-range.js'
export { readTreeSources, toTreePath, showPath } from './tree-sources.js'
export type { TreeOrigin, TreeSourceOptions } from './tree-sources.js'
export { selectTreeManifests } from './tree-select.js'
export { compareToBaseline } from './baseline.js'
export {
  reviewChanges,
  REVIEW_POLICY_ID,
  REVIEW_POLICY_META,
  pairResources,
  identityOf,
  permissions,
  isPowerfulRole,
} from './review/index.js'
export type { ReviewSide, TrustFileText } from './review/index.js'
export {
  scanSecretsInFile,
  redactSecretsInFile,
  secretPiecesInFile,
  SECRET_RULE_IDS,
  DEFAULT_ENTROPY,
  shannonEntropy,
  looksRandom,
  secretFingerprint,
  redactedPreview,
  redactSecretsInString,
  isSopsDocument,
} from './secrets/index.js'
export type { SecretFinding, SecretScanOptions, EntropyThresholds } from './secrets/index.js'
export { addedLines } from './unified-diff.js'
export { listWorkingFiles, scanTexts, scanRange } from './secret-scan.js'
export type { SecretScan } from './secret-scan.js'
export { commitsResult, secretsResult, SIGNED_COMMITS_META, SECRETS_META } from './findings-result.js'
