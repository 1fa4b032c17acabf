import type { PalisadeConfig } from '../config/index.js'
import { BUILTIN_POLICIES, isPssPolicy, PSS_VERSION_PARAM } from '../policies/index.js'

/**
 * The configuration with the version parameter of every built-in Pod Security Standards
 * policy set to `version` (the flag wins over palisade.yaml). A Namespace label
 * pod-security.kubernetes.io/enforce-version in the scan still wins for its pods.
 */
export function withPssVersion(config: PalisadeConfig, version: string | undefined): PalisadeConfig {
  if (version === undefined) return config
  const params: Record<string, Readonly<Record<string, unknown>>> = { ...config.policies.params }
  for (const policy of BUILTIN_POLICIES)
    if (isPssPolicy(policy)) params[policy.id] = { ...params[policy.id], [PSS_VERSION_PARAM]: version }
  return { ...config, policies: { ...config.policies, params } }
}
