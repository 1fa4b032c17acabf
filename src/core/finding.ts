import type { ControlRef } from './controls.js'
import type { Diagnostic } from './errors.js'
import type { ResourceRef } from './resource.js'
import type { Action, Severity, Status } from './severity.js'
import type { SourceSpan } from './span.js'

/** One JSON Patch (RFC 6902) operation. Parents of `add` paths are created as needed. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace'
  path: string
  value?: unknown
}

/** A fix offered for a finding. Only `safe` fixes are applied by plain `--fix` and by `/mutate`. */
export interface FixProposal {
  safety: 'safe' | 'unsafe'
  /** Operations on the resource, paths relative to the resource root. */
  patch: PatchOperation[]
  /** Why applying it would make the resource invalid for the API server; such a fix is never safe and never applied. */
  invalid?: string[]
}

/**
 * What the engine reports for one rule on one resource: pure data, no file
 * positions, no environment. The pipeline turns violations into {@link Finding}s.
 */
export interface Violation {
  policyId: string
  messageId: string
  message: string
  status: 'fail' | 'error'
  severity: Severity
  /** JSON Pointer of the most specific field, relative to the resource root. */
  path: string
  /**
   * `path` with array indexes replaced by element names where the element has one
   * (`/spec/containers/[app]/securityContext`), so fingerprints survive reordering.
   */
  stablePath: string
  fix?: FixProposal
}

/** Why a finding does not count: a waiver from configuration or an annotation. */
export interface WaiverRef {
  source: 'config' | 'annotation'
  reason: string
  owner?: string
  /** ISO date (YYYY-MM-DD) after which the waiver stops applying. */
  expires?: string
}

/** A violation placed in context: where it is in the source, which environment, what action. */
export interface Finding extends Violation {
  resource: ResourceRef
  /** Present when the resource came from a file. */
  span?: SourceSpan
  controls: readonly ControlRef[]
  category: string
  action: Action
  environment?: string
  waiver?: WaiverRef
  /** Stable across moved lines, reordered documents and renamed files. */
  fingerprint: string
  /** With `scan --baseline`: whether the base already had this finding (only new ones block). */
  baseline?: 'new' | 'existing'
  /** Who must approve (requires-review findings), from the review owners in palisade.yaml. */
  owners?: readonly string[]
  /** The commit the finding is about (verify-commits, secrets --git). */
  commit?: CommitRef
  /**
   * Rendered findings: every render (application, environment, action) in which the same
   * policy fails at the same source location. The finding itself is the strictest of them.
   */
  renders?: readonly RenderRef[]
}

/** One render a finding appears in: the application that rendered it, its environment and action there. */
export interface RenderRef {
  /** `<kind> <name>` of what rendered it: `argocd-application guestbook`, `kustomization overlays/prod`. */
  application: string
  environment?: string
  action: Action
  /** Set when the finding is waived in that render. */
  waived?: true
}

/** A commit a finding is about: full hash, author, the paths it changed, who signed it. */
export interface CommitRef {
  id: string
  author?: string
  paths?: readonly string[]
  signer?: string
}

/** One policy evaluated on one resource, kept for reports that list passes (JUnit). */
export interface CheckRecord {
  policyId: string
  resource: ResourceRef
  file?: string
  status: Status
}

/** Totals over a run. */
export interface Summary {
  files: number
  resources: number
  policies: number
  /** Policy × resource evaluations by status. */
  checks: Record<Status, number>
  findings: number
  bySeverity: Record<Severity, number>
  byAction: Record<Action, number>
  waived: number
  errors: number
}

/** Metadata of a policy, as reports need it (rules in SARIF, help text, controls). */
export interface PolicyMeta {
  id: string
  title: string
  summary: string
  rationale: string
  severity: Severity
  category: string
  controls: readonly ControlRef[]
  /** How to fix, in prose. */
  remediation?: string
}

/** Everything a run produced; every formatter is a function of this. */
export interface CheckResult {
  findings: Finding[]
  diagnostics: Diagnostic[]
  summary: Summary
  /** Metadata of every policy that ran, by id. */
  policies: ReadonlyMap<string, PolicyMeta>
  /** Present when the caller asked for pass records (JUnit). */
  checks?: CheckRecord[]
  /** Text of each source file that has findings or diagnostics, for code frames. */
  sources: ReadonlyMap<string, string>
  /** With `scan --baseline`: findings of the base that the head no longer has. */
  fixed?: Finding[]
}
