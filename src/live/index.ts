/**
 * The live side's pure part: live objects as resources the pipeline checks (positions on
 * demand), their GitOps owners, environments, and drift between Git and live objects.
 */
export { liveResource, livePath, liveText, objectKey } from './live-resource.js'
export { gitopsOwner } from './gitops-owner.js'
export type { GitOpsOwner } from './gitops-owner.js'
export { liveEnvironment, policyKinds } from './environment.js'
