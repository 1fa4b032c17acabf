/**
 * The Pod Security Standards as Kubernetes' Pod Security Admission defines them: policy
 * versions, the namespace pinning label, and the helpers each check's policy uses.
 */
export {
  PSS_LATEST_MINOR,
  PSS_ENFORCE_VERSION_LABEL,
  PSS_VERSION_PARAM,
  parsePssVersion,
  effectivePssVersion,
} from './version.js'
export type { EffectivePssVersion } from './version.js'
export { definePssPolicy, isPssPolicy } from './define.js'
export type { PssLevel, PssPolicyOptions } from './define.js'
export { unmaskedProcMounts } from './proc-mount.js'
export {
  obj,
  isSet,
  specOf,
  containersOf,
  podSecurityContext,
  annotationsOf,
  isWindowsPod,
  inUserNamespace,
} from './pod.js'
export type { Obj, ContainerAt } from './pod.js'
