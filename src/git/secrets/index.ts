/**
 * Secret detection, pure: provider token formats, private keys, passwords in URLs and
 * connection strings, secret-named keys, high-entropy values, and Kubernetes-aware
 * handling of Secret, SealedSecret, ExternalSecret and SOPS files. Results hold a
 * redacted preview and a fingerprint, never the value.
 */
export { scanSecretsInFile, redactSecretsInFile, redactSecretsInString } from './scan-file.js'
export type { SecretFinding, SecretScanOptions } from './scan-file.js'
export { credentialPolicy, CREDENTIAL_POLICY_ID } from './secret-policy.js'
export { SECRET_RULE_IDS } from './rule-catalog.js'
export { DEFAULT_ENTROPY, shannonEntropy, looksRandom } from './entropy.js'
export type { EntropyThresholds } from './entropy.js'
export { secretFingerprint, redactedPreview } from './redaction.js'
export { isSopsDocument } from './scan-object.js'
