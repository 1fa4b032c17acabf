import type { Severity } from './severity.js'

/**
 * One `images:` rule of palisade.yaml, validated. The first rule whose `match` globs
 * and `environments` fit an image applies to it; the others are not consulted.
 */
export interface ImageRule {
  /** Globs (`*` crosses `/`) over the qualified repository name, `registry/path` (docker.io/library/nginx). */
  match: readonly string[]
  /** Environments the rule applies in; absent = every environment (and resources with none). */
  environments?: readonly string[]
  /** Tags alone are not enough. Absent: true in the `production` environment, false elsewhere. */
  requireDigest?: boolean
  signatures?: {
    /** PEM public key files (ECDSA P-256, Ed25519, RSA), relative to palisade.yaml's folder. */
    keys: readonly string[]
    /** Certificate identities accepted for keyless signatures: OIDC issuer (exact) and subject (RE2 regular expression, anchored by the author). */
    keyless: readonly { issuer: string; subject: string }[]
  }
  /** Production only runs digests that `from` ran for at least `minSoakMs`. */
  promotion?: { from: string; minSoakMs: number; minSoak: string }
  /** Scan report thresholds (`--image-reports`). */
  reports?: { maxSeverity?: Severity; fixableOnly: boolean; noShell: boolean; allowEol: boolean }
}

/** Why a signature check came out the way it did. `error` means it could not be checked: it blocks. */
export type SignatureFact =
  | { status: 'verified'; signer: string }
  | { status: 'unsigned'; reason: string }
  | { status: 'untrusted'; reason: string }
  | { status: 'error'; reason: string }

/** One vulnerability of a scan report. */
export interface VulnerabilityFact {
  id: string
  package: string
  severity: Severity
  /** Version that fixes it; absent when no fix is available. */
  fixedVersion?: string
}

/** What the scan reports and SBOMs say about one image. */
export interface ImageReportFact {
  /** Report files this was read from, for messages. */
  sources: readonly string[]
  vulnerabilities: readonly VulnerabilityFact[]
  /** Package and file names found in the image (SBOM components, report packages). */
  packages: readonly string[]
  /** The base OS, when a report names it, and whether it is past its end of life. */
  os?: { name: string; eol: boolean }
}

/**
 * Everything the edge (src/supply) found out about the images of a run, handed to the
 * image policies as data, so that evaluation stays pure.
 */
export interface ImageFacts {
  /** Tag references (`registry/repo:tag`) the edge resolved to a digest. */
  resolved: ReadonlyMap<string, string>
  /** Signature verdicts keyed by `registry/repo@sha256:...`. */
  signatures: ReadonlyMap<string, SignatureFact>
  /**
   * Promotion history: for each environment name, digest → longest time (ms) one
   * revision run of that environment kept it. Absent for an environment = history not read (error).
   */
  promotion: ReadonlyMap<string, ReadonlyMap<string, number>>
  /** Why promotion history could not be read, when it could not. */
  promotionError?: string
  /** Scan reports keyed by digest (`sha256:...`) and by reference as written. */
  reports: ReadonlyMap<string, ImageReportFact>
  /** Whether reports were given at all (`--image-reports`); without them a reports rule cannot be checked. */
  reportsGiven: boolean
}

/** The value Palisade passes as the `supply` parameter of the image policies. */
export interface SupplyContext {
  rules: readonly ImageRule[]
  facts: ImageFacts
}
