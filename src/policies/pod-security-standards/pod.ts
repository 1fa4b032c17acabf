import { isRecord, type KubeObject } from '../../core/index.js'

/** A plain JSON object, read-only. */
export type Obj = Readonly<Record<string, unknown>>

const EMPTY: Obj = Object.freeze({})

/** The value as an object, or undefined when it is absent, null or not an object (Go: a nil pointer). */
export function obj(value: unknown): Obj | undefined {
  return isRecord(value) ? value : undefined
}

/** Whether a field is set (not absent and not null), as a Go pointer is non-nil. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null
}

/** The pod's spec, or an empty object. */
export function specOf(pod: KubeObject): Obj {
  return obj(pod.spec) ?? EMPTY
}

/** One container of a pod with the JSON Pointer of its object. */
export interface ContainerAt {
  container: Obj
  /** `/spec/initContainers/0`, `/spec/containers/1`, `/spec/ephemeralContainers/0`. */
  pointer: string
  name: string
  /** securityContext, or an empty object when unset. */
  securityContext: Obj
  /** Whether securityContext is set at all. */
  hasSecurityContext: boolean
}

const LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const

/**
 * Every container the Pod Security Standards check, in Pod Security Admission's order:
 * init containers, containers, ephemeral containers. Built once per pod object and shared
 * (read-only): some twenty policies ask for the same pod's containers in turn. Objects
 * under check are not modified (the engine is pure), so the list cannot go stale.
 */
export function containersOf(pod: KubeObject): readonly ContainerAt[] {
  let list = listed.get(pod)
  if (list === undefined) {
    list = Object.freeze(listContainers(pod))
    listed.set(pod, list)
  }
  return list
}

const listed = new WeakMap<KubeObject, readonly ContainerAt[]>()

function listContainers(pod: KubeObject): ContainerAt[] {
  const spec = specOf(pod)
  const out: ContainerAt[] = []
  for (const list of LISTS) {
    const items = spec[list]
    if (!Array.isArray(items)) continue
    items.forEach((item, i) => {
      const container = obj(item)
      if (!container) return
      const securityContext = obj(container.securityContext)
      out.push(
        Object.freeze({
          container,
          pointer: `/spec/${list}/${i}`,
          name: typeof container.name === 'string' ? container.name : `#${i}`,
          securityContext: securityContext ?? EMPTY,
          hasSecurityContext: securityContext !== undefined,
        }),
      )
    })
  }
  return out
}

/** The pod-level securityContext, or an empty object. */
export function podSecurityContext(pod: KubeObject): Obj {
  return obj(specOf(pod).securityContext) ?? EMPTY
}

/** The pod's annotations as strings (non-string values are kept as they are). */
export function annotationsOf(pod: KubeObject): Obj {
  return obj(obj(pod.metadata)?.annotations) ?? EMPTY
}

/** `spec.os.name: windows`: the pod runs on Windows nodes. */
export function isWindowsPod(pod: KubeObject): boolean {
  return obj(specOf(pod).os)?.name === 'windows'
}

/** `spec.hostUsers: false`: the pod runs in its own user namespace. */
export function inUserNamespace(pod: KubeObject): boolean {
  return specOf(pod).hostUsers === false
}
