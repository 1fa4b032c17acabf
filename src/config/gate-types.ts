import type { Action, SourceSpan } from '../core/index.js'

/** `signing:` in palisade.yaml: who may sign commits, and who must sign which paths. */
export interface SigningConfig {
  /** Allowed-signers file (git's format), relative to the configuration file's folder. */
  allowedSigners?: string
  /** Armored OpenPGP public key files, relative to the configuration file's folder. */
  openpgpKeys: readonly string[]
  /** Group name → members: SSH principals, OpenPGP emails or user ids, key fingerprints. */
  groups: Readonly<Record<string, readonly string[]>>
  /** Commits touching `paths` (globs from the repository root) need a signer from one of `groups`. */
  rules: readonly { paths: readonly string[]; groups: readonly string[]; span?: SourceSpan }[]
}

/** `secrets:` in palisade.yaml. */
export interface SecretsConfig {
  /** Known false positives, by the fingerprint the report prints. */
  allow: readonly { fingerprint: string; reason: string; span?: SourceSpan }[]
  /** Overrides of the high-entropy thresholds. */
  entropy?: { minLength?: number; bitsPerChar?: number }
}

/** `review:` in palisade.yaml: owners of security-weakening changes, CODEOWNERS-style. */
export interface ReviewConfig {
  /** Action of requires-review findings (default warn: approval happens in the code host). */
  action: Action
  /** Last matching rule wins, as in CODEOWNERS. Paths are globs relative to the configuration file's folder. */
  owners: readonly { paths: readonly string[]; owners: readonly string[] }[]
}
