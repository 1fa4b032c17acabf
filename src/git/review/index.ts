/**
 * Security-weakening changes between a base and a head: RBAC widened, NetworkPolicies
 * loosened, Pod Security labels lowered, admission control removed or softened,
 * securityContext weakened, Palisade's own configuration softened, commit-signing trust
 * files widened. Pure.
 */
export { reviewChanges, REVIEW_POLICY_ID, REVIEW_POLICY_META } from './review-changes.js'
export type { ReviewSide } from './review-changes.js'
export type { TrustFileText } from './trust-files.js'
export { pairResources, identityOf } from './pairing.js'
export { permissions, isPowerfulRole } from './rbac.js'
