/**
 * Secret detection in Git content: whole files (YAML manifests, env files, code), with
 * Kubernetes-aware handling of Secret, SealedSecret, ExternalSecret and SOPS files, and
 * their redaction. The shapes themselves live in src/secrets. Results hold a redacted
 * preview and a fingerprint, never the value.
 */
export { scanSecretsInFile, redactSecretsInFile, redactSecretsInString, secretPiecesInFile } from './scan-file.js'
export type { SecretFinding, SecretScanOptions } from './scan-file.js'
export {
  SECRET_RULE_IDS,
  DEFAULT_ENTROPY,
  shannonEntropy,
  looksRandom,
  secretFingerprint,
  redactedPreview,
  isSopsDocument,
} from '../../secrets/index.js'
export type { EntropyThresholds } from '../../secrets/index.js'
