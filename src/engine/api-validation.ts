import { isRecord, type KubeObject } from '../core/index.js'
import { compareQuantities, parseQuantity } from '../cel/index.js'
import { podTemplateOf } from './pod-templates.js'

/**
 * The rules of the Kubernetes API server's own validation (pkg/apis/core/validation) for the
 * pod fields Palisade's fixes touch, plus the one kubelet check that makes a pod unable to
 * start (runAsNonRoot with runAsUser 0). Written from the documented behaviour, not copied.
 * Returns one line per problem, each naming the field ('' when the object has no pod spec).
 * Pure: no I/O.
 */
export function apiServerProblems(object: KubeObject): string[] {
  const pod = podView(object)
  return pod ? problemsOf(pod, undefined) : []
}

/**
 * apiServerProblems of `after`, leaving out what it shares with `before`: the pod level when
 * its settings (securityContext, annotations, os) are the same objects at the same place, and
 * each container that is the same object at the same place under those same settings. Those
 * parts have exactly the problems they had in `before`. A fix's result (applyFixOperations
 * copies only the objects on the paths it changes) shares all but the container it fixes, so
 * only that one is checked. Neither object may be modified in between.
 */
export function apiServerProblemsChangedFrom(after: KubeObject, before: KubeObject): string[] {
  const pod = podView(after)
  if (!pod) return []
  const old = podView(before)
  const same =
    old !== undefined &&
    old.at === pod.at &&
    old.annotations === pod.annotations &&
    old.podSc === pod.podSc &&
    old.windows === pod.windows &&
    old.linux === pod.linux
  return problemsOf(pod, same ? old : undefined)
}

/** What the rules read of a pod: its spec, the pod-level settings every container check uses. */
interface PodView {
  at: string
  spec: Record<string, unknown>
  annotations: Record<string, unknown>
  podSc: Record<string, unknown>
  windows: boolean
  linux: boolean
}

/** An absent securityContext or annotations: one shared object, so that two absent ones are the same. */
const NONE: Record<string, unknown> = Object.freeze({})

/** What the rules read of a Pod, or of a workload's pod template (as its Pod view has it). */
function podView(object: KubeObject): PodView | undefined {
  let at: string
  let metadata: unknown
  let spec: unknown
  if (object.kind === 'Pod') {
    at = '/spec'
    metadata = object.metadata
    spec = object.spec
  } else {
    // The template itself rather than podTemplateTarget's Pod view: the view has the
    // template's annotations and spec (or {} for none, which has no problems).
    const pod = podTemplateOf(object)
    if (!pod) return undefined
    at = `${pod.prefix}/spec`
    metadata = pod.template.metadata
    spec = pod.template.spec
  }
  if (!isRecord(spec)) return undefined
  return {
    at,
    spec,
    annotations: isRecord(metadata) && isRecord(metadata.annotations) ? metadata.annotations : NONE,
    podSc: isRecord(spec.securityContext) ? spec.securityContext : NONE,
    windows: isRecord(spec.os) && spec.os.name === 'windows',
    linux: isRecord(spec.os) && spec.os.name === 'linux',
  }
}

/** The problems of `pod`; with `unchanged`, a view with the same pod-level settings, not those of the parts it shares. */
function problemsOf(pod: PodView, unchanged: PodView | undefined): string[] {
  const { at, spec, annotations, podSc, windows, linux } = pod
  const out: string[] = []
  if (unchanged === undefined) podProblems(pod, out)
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const containers = spec[list]
    if (!Array.isArray(containers)) continue
    const before = unchanged?.spec[list]
    containers.forEach((c: unknown, i) => {
      if (!isRecord(c)) return
      if (Array.isArray(before) && before[i] === c) return
      const cAt = `${at}/${list}/${i}`
      const name = typeof c.name === 'string' ? c.name : ''
      const sc = isRecord(c.securityContext) ? c.securityContext : {}
      const scAt = `${cAt}/securityContext`
      if (sc.allowPrivilegeEscalation === false) {
        if (sc.privileged === true)
          out.push(`${scAt}: cannot set allowPrivilegeEscalation to false and privileged to true`)
        const add = isRecord(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : []
        if (add.includes('CAP_SYS_ADMIN'))
          out.push(`${scAt}: cannot set allowPrivilegeEscalation to false and capabilities.add CAP_SYS_ADMIN`)
      }
      checkIds(sc, scAt, out)
      if (sc.seccompProfile !== undefined) checkProfile(sc.seccompProfile, `${scAt}/seccompProfile`, out)
      if (sc.appArmorProfile !== undefined) checkProfile(sc.appArmorProfile, `${scAt}/appArmorProfile`, out)
      // Most pods have no annotations: then no key is built and looked up (a fresh key is hashed to be found).
      if (annotations !== NONE) {
        annotationMatches(
          annotations[`container.seccomp.security.alpha.kubernetes.io/${name}`],
          sc.seccompProfile,
          `${scAt}/seccompProfile`,
          `the seccomp annotation of container "${name}"`,
          out,
        )
        annotationMatches(
          annotations[`container.apparmor.security.beta.kubernetes.io/${name}`],
          sc.appArmorProfile ?? podSc.appArmorProfile,
          `${scAt}/appArmorProfile`,
          `the AppArmor annotation of container "${name}"`,
          out,
        )
      }
      if (windows)
        for (const f of WINDOWS_FORBIDDEN_CONTAINER)
          if (sc[f] !== undefined) out.push(`${scAt}/${f}: may not be set when spec.os.name is windows`)
      if (linux && sc.windowsOptions !== undefined)
        out.push(`${scAt}/windowsOptions: may not be set when spec.os.name is linux`)
      // Not the API server but the kubelet: it refuses to start a container that must run as non-root with UID 0.
      const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot
      const user = sc.runAsUser ?? podSc.runAsUser
      if (nonRoot === true && user === 0)
        out.push(`${scAt}: runAsNonRoot is true and runAsUser is 0; the kubelet will not start the container`)
      checkResources(c.resources, `${cAt}/resources`, out)
      if (typeof c.image === 'string' && c.image.trim() !== c.image)
        out.push(`${cAt}/image: must not have leading or trailing whitespace`)
      if (c.imagePullPolicy !== undefined && !PULL_POLICIES.has(c.imagePullPolicy as string))
        out.push(`${cAt}/imagePullPolicy: must be Always, IfNotPresent or Never`)
    })
  }
  return out
}

/** The checks of the pod's own securityContext and annotations. */
function podProblems(pod: PodView, out: string[]): void {
  const { at, annotations, podSc, windows, linux } = pod
  checkIds(podSc, `${at}/securityContext`, out)
  checkProfile(podSc.seccompProfile, `${at}/securityContext/seccompProfile`, out)
  checkProfile(podSc.appArmorProfile, `${at}/securityContext/appArmorProfile`, out)
  annotationMatches(
    annotations['seccomp.security.alpha.kubernetes.io/pod'],
    podSc.seccompProfile,
    `${at}/securityContext/seccompProfile`,
    'the pod seccomp annotation',
    out,
  )
  if (windows)
    for (const f of WINDOWS_FORBIDDEN_POD)
      if (podSc[f] !== undefined) out.push(`${at}/securityContext/${f}: may not be set when spec.os.name is windows`)
  if (linux && podSc.windowsOptions !== undefined)
    out.push(`${at}/securityContext/windowsOptions: may not be set when spec.os.name is linux`)
}

const PULL_POLICIES = new Set(['Always', 'IfNotPresent', 'Never'])
const PROFILE_TYPES = new Set(['RuntimeDefault', 'Unconfined', 'Localhost'])
const WINDOWS_FORBIDDEN_POD = [
  'seLinuxOptions',
  'seccompProfile',
  'appArmorProfile',
  'fsGroup',
  'fsGroupChangePolicy',
  'sysctls',
  'runAsUser',
  'runAsGroup',
  'supplementalGroups',
  'supplementalGroupsPolicy',
] as const
const WINDOWS_FORBIDDEN_CONTAINER = [
  'seLinuxOptions',
  'seccompProfile',
  'appArmorProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
] as const
const MAX_ID = 2147483647

function checkIds(sc: Record<string, unknown>, at: string, out: string[]): void {
  for (const f of ['runAsUser', 'runAsGroup'] as const) {
    const v = sc[f]
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_ID))
      out.push(`${at}/${f}: must be between 0 and ${MAX_ID}, inclusive`)
  }
}

/** seccompProfile and appArmorProfile: a known type; localhostProfile exactly when the type is Localhost. */
function checkProfile(profile: unknown, at: string, out: string[]): void {
  if (profile === undefined) return
  if (!isRecord(profile) || typeof profile.type !== 'string' || !PROFILE_TYPES.has(profile.type)) {
    out.push(`${at}/type: must be RuntimeDefault, Unconfined or Localhost`)
    return
  }
  const local = profile.localhostProfile
  if (profile.type === 'Localhost' && (typeof local !== 'string' || local === ''))
    out.push(`${at}/localhostProfile: required when type is Localhost`)
  if (profile.type !== 'Localhost' && local !== undefined)
    out.push(`${at}/localhostProfile: may only be set when type is Localhost`)
}

/** On create, a seccomp or AppArmor annotation and the field it mirrors must say the same. */
function annotationMatches(annotation: unknown, field: unknown, at: string, what: string, out: string[]): void {
  if (typeof annotation !== 'string' || !isRecord(field) || typeof field.type !== 'string') return
  const expected =
    annotation === 'runtime/default' || annotation === 'docker/default'
      ? 'RuntimeDefault'
      : annotation === 'unconfined'
        ? 'Unconfined'
        : annotation.startsWith('localhost/')
          ? 'Localhost'
          : undefined
  if (expected === undefined) return
  const same =
    field.type === expected &&
    (expected !== 'Localhost' || field.localhostProfile === annotation.slice('localhost/'.length))
  if (!same)
    out.push(`${at}: ${field.type} does not match ${what} (${annotation}); the API server requires them to agree`)
}

/** Every request must be at most its limit. */
function checkResources(resources: unknown, at: string, out: string[]): void {
  if (!isRecord(resources) || !isRecord(resources.requests) || !isRecord(resources.limits)) return
  for (const [name, request] of Object.entries(resources.requests)) {
    const limit = resources.limits[name]
    if (limit === undefined) continue
    const r = quantity(request)
    const l = quantity(limit)
    if (r && l && compareQuantities(r, l) > 0)
      out.push(`${at}/requests/${name}: must be less than or equal to the ${name} limit of ${String(limit)}`)
  }
}

function quantity(value: unknown): ReturnType<typeof parseQuantity> | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  try {
    return parseQuantity(String(value))
  } catch {
    return undefined // a malformed quantity is another rule's problem, not a fix's
  }
}
