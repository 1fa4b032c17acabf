/**
 * The one catalogue of secret shapes, pure (no I/O): provider token formats, private
 * keys, passwords in URLs and connection strings, secret-named keys, high-entropy
 * values, placeholders and known non-secrets, and the fingerprint and redacted preview
 * a report may show. Used by the built-in policies (Kubernetes object fields) and by the
 * Git secret scan (files, diffs, commits in src/git/secrets).
 */
export { TOKEN_RULES, ANY_KEYWORD } from './token-rules.js'
export type { TokenRule } from './token-rules.js'
export { ASSIGNMENT_RULES, isSecretName, isHardcodedSecret, judgeAssignment, normalizeKey } from './keyed-rules.js'
export type { AssignmentHit } from './keyed-rules.js'
export { SECRET_RULE_IDS } from './rule-catalog.js'
export {
  DEFAULT_ENTROPY,
  shannonEntropy,
  looksRandom,
  isPlaceholder,
  isReference,
  isKnownNonSecret,
} from './entropy.js'
export type { EntropyThresholds } from './entropy.js'
export { secretFingerprint, redactedPreview, maskPieces, maskText } from './redaction.js'
export { scanText, lineColumn } from './scan-text.js'
export type { TextHit, TextScanOptions } from './scan-text.js'
export { scanObject, scanString, isSopsDocument } from './scan-object.js'
export type { ValueHit, ObjectScanOptions } from './scan-object.js'
export { isSecretLikeName, tokenShapeIn, isLiteralCredential } from './field-heuristics.js'
