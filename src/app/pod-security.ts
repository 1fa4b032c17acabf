import type { PodSecurityEvaluator, PodSecurityFailure } from '../compat/index.js'
import { compilePolicySet, evaluate, type CompiledPolicySet, type PolicySpec } from '../engine/index.js'
import { BUILTIN_POLICIES, isPssPolicy, parsePssVersion, PSS_VERSION_PARAM } from '../policies/index.js'

/**
 * Kyverno's validate.podSecurity runs through the built-in Pod Security Standards
 * policies: every built-in policy that maps to a `pss` control (`<level>/<checkId>`)
 * checks a Pod; a restricted evaluation includes the baseline checks. The rule's version
 * (`latest` or `v1.N`) pins the policies' PSS version, compiled once per version.
 */
export function builtinPodSecurity(policies: readonly PolicySpec[] = BUILTIN_POLICIES): PodSecurityEvaluator {
  const pss = policies.filter(isPssPolicy)
  const sets = new Map<string, CompiledPolicySet>()
  const setFor = (version: string): CompiledPolicySet => {
    if (parsePssVersion(version) === undefined)
      throw new Error(`podSecurity version must be "latest" or "v1.N", not "${version}"`)
    let set = sets.get(version)
    if (!set) {
      set = compilePolicySet(pss, Object.fromEntries(pss.map((p) => [p.id, { [PSS_VERSION_PARAM]: version }]))).set
      sets.set(version, set)
    }
    return set
  }
  return (pod, level, version) => {
    const failures: PodSecurityFailure[] = []
    for (const { policy, outcome } of evaluate(setFor(version), pod)) {
      const checks = policy.meta.controls.filter(
        (c) => c.framework === 'pss' && (level === 'restricted' || c.control.startsWith('baseline/')),
      )
      if (checks.length === 0) continue
      for (const v of outcome.violations) {
        if (v.status !== 'fail') continue
        for (const c of checks) failures.push({ checkId: c.control.slice(c.control.indexOf('/') + 1), path: v.path })
      }
    }
    return failures
  }
}
