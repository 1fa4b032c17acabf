/**
 * The live side's pure part: live objects as resources the pipeline checks (positions on
 * demand), their GitOps owners, environments, and drift between Git and live objects.
 */
export { liveResources, livePath, liveText, objectKey } from './live-resource.js'
export { gitopsOwner } from './gitops-owner.js'
export type { GitOpsOwner } from './gitops-owner.js'
export { liveEnvironment, policyKinds } from './environment.js'
export { computeDrift } from './drift.js'
export type { Drift, DriftOptions, GitObject } from './drift.js'
export { diffObjects, isIgnoredPath } from './diff.js'
export type { FieldChange } from './diff.js'
export { securityReason, SECURITY_KINDS } from './security-fields.js'
export { driftResult, DRIFT_RULES } from './drift-result.js'
