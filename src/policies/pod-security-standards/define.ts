import type { KubeObject } from '../../core/index.js'
import { definePolicy, type NativeViolation, type PolicySpec } from '../../engine/index.js'
import { effectivePssVersion, PSS_LATEST_MINOR, PSS_VERSION_PARAM } from './version.js'

/** The two enforcing levels of the Pod Security Standards (privileged allows everything). */
export type PssLevel = 'baseline' | 'restricted'

/** What a Pod Security Standards policy states besides the usual metadata. */
export interface PssPolicyOptions extends Omit<
  PolicySpec,
  'category' | 'sets' | 'match' | 'params' | 'rules' | 'check' | 'checkAll' | 'forEach' | 'variables'
> {
  /** The check as Pod Security Admission names it, its level, and the first policy minor version that has it. */
  pss: { level: PssLevel; check: string; since: number }
  /** The check at one policy version (a minor of 1.x, at least `since`): violations with pointers into the Pod view. */
  run(pod: KubeObject, minor: number): NativeViolation[]
}

/**
 * Define one Pod Security Standards check as a native policy over Pods and every pod
 * template. The effective version comes from the Namespace's enforce-version label, the
 * `version` parameter (`--pss-version`) or latest; before `since` the check does not
 * exist and passes. The finding's `pss` control is `<level>/<check>`.
 */
export function definePssPolicy(options: PssPolicyOptions): PolicySpec {
  const { pss, run, controls, ...meta } = options
  return definePolicy({
    ...meta,
    category: 'pod-security',
    sets: pss.level === 'baseline' ? ['pss-baseline', 'pss-restricted'] : ['pss-restricted'],
    controls: [{ framework: 'pss', control: `${pss.level}/${pss.check}` }, ...controls],
    params: {
      [PSS_VERSION_PARAM]: {
        description: `Pod Security Standards version to check against: latest (v1.${PSS_LATEST_MINOR}) or v1.N. The pod-security.kubernetes.io/enforce-version label of a Namespace in the scan wins.`,
        default: 'latest',
      },
    },
    match: { kinds: ['Pod'], includePodTemplates: true },
    check: (pod, context) => {
      const { minor } = effectivePssVersion(context.params, context.namespaceObject)
      return minor < pss.since ? [] : run(pod, minor)
    },
  })
}

/** Whether a policy is one of the Pod Security Standards checks (it maps to a `pss` control). */
export function isPssPolicy(spec: Pick<PolicySpec, 'controls'>): boolean {
  return spec.controls.some((c) => c.framework === 'pss')
}
