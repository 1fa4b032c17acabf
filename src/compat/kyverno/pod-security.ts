import { isRecord, type KubeObject } from '../../core/index.js'
import { parsePointer } from '../../core/index.js'
import { podTemplateTarget } from '../../engine/index.js'
import type { RuleContext } from './context.js'
import { CompatError, unsupported } from '../shared/errors.js'
import type { ValidateResult } from './validate.js'

/** A failed Pod Security Standards check, as the built-in PSS implementation reports it. */
export interface PodSecurityFailure {
  /** Check id of the Pod Security Standards (privileged, hostNamespaces, capabilities_restricted, ...). */
  checkId: string
  /** JSON Pointer of the failing field inside the Pod. */
  path: string
}

/**
 * What the podSecurity adapter needs from the built-in Pod Security Standards: evaluate a
 * Pod at a level ("baseline" or "restricted") and policy version ("latest" or "v1.NN"),
 * returning every failed check. The CLI supplies it from the built-in policies.
 */
export type PodSecurityEvaluator = (
  pod: KubeObject,
  level: 'baseline' | 'restricted',
  version: string,
) => PodSecurityFailure[]

/** Kyverno's exclude controlName → Pod Security Standards check ids. */
const CONTROLS: Readonly<Record<string, readonly string[]>> = {
  HostProcess: ['windowsHostProcess'],
  'Host Namespaces': ['hostNamespaces'],
  'Privileged Containers': ['privileged'],
  Capabilities: ['capabilities_baseline', 'capabilities_restricted'],
  'HostPath Volumes': ['hostPathVolumes'],
  'Host Ports': ['hostPorts'],
  AppArmor: ['appArmorProfile'],
  SELinux: ['seLinuxOptions'],
  '/proc Mount Type': ['procMount', 'procMount_restricted'],
  Seccomp: ['seccompProfile_baseline', 'seccompProfile_restricted'],
  Sysctls: ['sysctls'],
  'Volume Types': ['restrictedVolumes'],
  'Privilege Escalation': ['allowPrivilegeEscalation'],
  'Running as Non-root': ['runAsNonRoot'],
  'Running as Non-root user': ['runAsUser'],
  'Host Probes / Lifecycle Hooks': ['hostProbesAndHostLifecycle'],
}

function imageAt(pod: KubeObject, path: string): string | undefined {
  const tokens = parsePointer(path)
  if (tokens[0] !== 'spec' || !tokens[1]?.endsWith('ontainers') || tokens[2] === undefined) return undefined
  const spec = isRecord(pod.spec) ? pod.spec : {}
  const list = spec[tokens[1]]
  const c = Array.isArray(list) ? list[Number(tokens[2])] : undefined
  return isRecord(c) && typeof c.image === 'string' ? c.image : undefined
}

/**
 * validate.podSecurity through the built-in Pod Security Standards: the rule fails when a
 * check of its level fails, unless an `exclude` entry exempts that control (for the listed
 * images only, when it names images). Pod controllers are checked through their template.
 */
export function podSecurityHook(evaluator: PodSecurityEvaluator | undefined) {
  return (spec: Record<string, unknown>, resource: KubeObject, _ctx: RuleContext): ValidateResult => {
    if (evaluator === undefined)
      throw unsupported('validate.podSecurity', 'no Pod Security Standards implementation was given')
    const level = spec.level
    if (level === 'privileged') return { status: 'pass', message: 'privileged level allows everything' }
    if (level !== 'baseline' && level !== 'restricted')
      throw new CompatError(
        'POLICY_INVALID',
        `podSecurity level must be privileged, baseline or restricted, not ${String(level)}`,
      )
    const target = resource.kind === 'Pod' ? { object: resource, prefix: '' } : podTemplateTarget(resource)
    if (target === undefined) return { status: 'pass', message: 'no pod spec' }
    const version = typeof spec.version === 'string' ? spec.version : 'latest'
    const excludes = (Array.isArray(spec.exclude) ? spec.exclude : []).filter(isRecord)
    const failures = evaluator(target.object, level, version).filter((f) => {
      return !excludes.some((ex) => {
        const ids = CONTROLS[String(ex.controlName ?? '')] ?? []
        if (!ids.includes(f.checkId)) return false
        const images = Array.isArray(ex.images) ? ex.images.map(String) : []
        if (images.length === 0) return true
        const image = imageAt(target.object, f.path)
        return (
          image !== undefined &&
          images.some((p) => p === image || (p.endsWith('*') && image.startsWith(p.slice(0, -1))))
        )
      })
    })
    if (failures.length === 0) return { status: 'pass', message: `pod satisfies ${level}:${version}` }
    const first = failures[0] as PodSecurityFailure
    return {
      status: 'fail',
      message: `Validation rule failed: ${[...new Set(failures.map((f) => f.checkId))].join(', ')} (${level}:${version})`,
      path: target.prefix + first.path,
    }
  }
}
