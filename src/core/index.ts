/**
 * Types and helpers shared by every module: findings, diagnostics, spans,
 * severities, actions, JSON Pointers, control references. No I/O, no internal imports.
 */
export { ToolError, assertNever, describeError } from './errors.js'
export type { Diagnostic, ErrorCode } from './errors.js'
export type { Position, SourceSpan } from './span.js'
export { escapePointerToken, parsePointer, formatPointer, joinPointer, getAtPointer } from './pointer.js'
export { SEVERITIES, ACTIONS, severityRank, isSeverity, isAction } from './severity.js'
export type { Severity, Action, Status } from './severity.js'
export { resourceRef, apiGroup, formatResourceRef, isRecord, objectsOfDocument, namespacesByName } from './resource.js'
export type { KubeObject, ResourceRef } from './resource.js'
export { detachedString } from './detached-string.js'
export { FRAMEWORKS, FRAMEWORK_TITLES, groupControls } from './controls.js'
export type { Framework, ControlRef } from './controls.js'
export type {
  PatchOperation,
  FixProposal,
  Violation,
  WaiverRef,
  Finding,
  CheckRecord,
  Summary,
  PolicyMeta,
  CheckResult,
  CommitRef,
  RenderRef,
} from './finding.js'
export { findingFingerprint, fingerprintPrefix, fingerprintWithin } from './fingerprint.js'
export { CONTROLS, findControl } from './control-registry.js'
export type { ControlDefinition } from './control-registry.js'
export { isBlocking, isErrorDiagnostic, verdictOf } from './blocking.js'
export type { BlockingRule, ErrorsMode, Verdict } from './blocking.js'
export { isInside, notRegularReason, outsideRootMessage } from './containment.js'
export type { FileKind } from './containment.js'
export { globMatch } from './glob-match.js'
export type {
  ImageRule,
  SignatureFact,
  VulnerabilityFact,
  ImageReportFact,
  ImageFacts,
  SupplyContext,
} from './image-rules.js'
export { summarize, countsOf, noCounts } from './summary.js'
export type { RunCounts } from './summary.js'
export { jsonEqual } from './json-equal.js'
export type { LocatedResource } from './located-resource.js'
export { SKIPPED_FOLDERS, isSkippedFolder } from './skipped-folders.js'
export { PSS_ALLOWED_VOLUMES, PSS_BASELINE_CAPABILITIES, PSS_RESTRICTED_VOLUMES } from './pod-security-lists.js'
