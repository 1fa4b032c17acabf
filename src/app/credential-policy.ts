import type { PolicySpec } from '../engine/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'

/** Id of the built-in credential policy, whose parameters palisade.yaml's `secrets:` section sets. */
export const CREDENTIAL_POLICY_ID = 'disallow-hardcoded-credentials'

/**
 * The policies a scan runs: the built-in library, with palisade.yaml's `secrets.allow`
 * fingerprints and `secrets.entropy` thresholds as the defaults of the credential
 * policy's parameters (`policies.params` still overrides them).
 */
export function scanPolicySpecs(config: PalisadeConfig): PolicySpec[] {
  const secrets = config.secrets
  if (!secrets) return [...BUILTIN_POLICIES]
  const defaults: Record<string, unknown> = { allow: secrets.allow.map((a) => a.fingerprint) }
  if (secrets.entropy?.minLength !== undefined) defaults.entropyMinLength = secrets.entropy.minLength
  if (secrets.entropy?.bitsPerChar !== undefined) defaults.entropyBitsPerChar = secrets.entropy.bitsPerChar
  return BUILTIN_POLICIES.map((p) => (p.id === CREDENTIAL_POLICY_ID ? withParamDefaults(p, defaults) : p))
}

function withParamDefaults(spec: PolicySpec, defaults: Readonly<Record<string, unknown>>): PolicySpec {
  const params = Object.fromEntries(
    Object.entries(spec.params ?? {}).map(([name, p]) => [
      name,
      Object.hasOwn(defaults, name) ? { ...p, default: defaults[name] } : p,
    ]),
  )
  return { ...spec, params }
}
