import type { PodSecurityEvaluator, PodSecurityFailure } from '../compat/index.js'
import { compilePolicySet, evaluate, type PolicySpec } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'

/**
 * Kyverno's validate.podSecurity runs through the built-in Pod Security Standards
 * policies: every built-in policy that maps to a `pss` control (`<level>/<checkId>`)
 * checks a Pod; a restricted evaluation includes the baseline checks. The policy version
 * is passed on for when the built-in library pins PSS versions.
 */
export function builtinPodSecurity(policies: readonly PolicySpec[] = BUILTIN_POLICIES): PodSecurityEvaluator {
  const pss = policies.filter((p) => p.controls.some((c) => c.framework === 'pss'))
  const { set } = compilePolicySet(pss)
  return (pod, level, _version) => {
    const failures: PodSecurityFailure[] = []
    for (const { policy, outcome } of evaluate(set, pod)) {
      const checks = policy.meta.controls.filter((c) => c.framework === 'pss' && (level === 'restricted' || c.control.startsWith('baseline/')))
      if (checks.length === 0) continue
      for (const v of outcome.violations) {
        if (v.status !== 'fail') continue
        for (const c of checks) failures.push({ checkId: c.control.slice(c.control.indexOf('/') + 1), path: v.path })
      }
    }
    return failures
  }
}
