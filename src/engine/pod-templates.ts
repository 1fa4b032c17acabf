import { isRecord, type KubeObject } from '../core/index.js'

/** Where a workload keeps its pod template, by kind. */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
}

/** Kinds whose pod template pod-level policies also check. */
export const POD_CONTROLLER_KINDS: readonly string[] = Object.keys(TEMPLATE_PATHS)

/** What a policy actually looks at: the resource itself, or a Pod view of a workload's template. */
export interface Target {
  object: KubeObject
  /** JSON Pointer of `object` inside the real resource ('' for the resource itself). */
  prefix: string
}

/**
 * The Pod view of a workload's pod template, as Kyverno's autogen and Pod Security
 * Admission see it: `{apiVersion: v1, kind: Pod, metadata: template.metadata + namespace, spec: template.spec}`.
 * Returns undefined for kinds without a template or when the template is missing.
 */
export function podTemplateTarget(object: KubeObject): Target | undefined {
  // Every pod-level policy asks for the same view of the same object: build it once.
  if (views.has(object)) return views.get(object)
  const target = buildView(object)
  views.set(object, target)
  return target
}

const views = new WeakMap<KubeObject, Target | undefined>()

/** Prefix of the pod template by kind, written once. */
const TEMPLATE_PREFIXES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TEMPLATE_PATHS).map(([kind, path]) => [kind, '/' + path.join('/')]),
)

/**
 * The pod template of a workload (its `metadata` and `spec` as written) and its pointer,
 * without building or remembering a Pod view: for objects looked at once, such as a
 * fixed copy whose API-server problems are checked.
 */
export function podTemplateOf(object: KubeObject): { template: Record<string, unknown>; prefix: string } | undefined {
  const kind = typeof object.kind === 'string' ? object.kind : ''
  const path = TEMPLATE_PATHS[kind]
  if (path === undefined) return undefined
  let node: unknown = object
  for (const key of path) {
    if (!isRecord(node)) return undefined
    node = node[key]
  }
  return isRecord(node) ? { template: node, prefix: TEMPLATE_PREFIXES[kind] as string } : undefined
}

function buildView(object: KubeObject): Target | undefined {
  const found = podTemplateOf(object)
  if (found === undefined) return undefined
  const node = found.template
  const meta = isRecord(object.metadata) ? object.metadata : {}
  const templateMeta = isRecord(node.metadata) ? node.metadata : {}
  const metadata: Record<string, unknown> = { ...templateMeta }
  if (meta.namespace !== undefined && metadata.namespace === undefined) metadata.namespace = meta.namespace
  if (metadata.name === undefined && meta.name !== undefined) metadata.name = meta.name
  return {
    object: { apiVersion: 'v1', kind: 'Pod', metadata, spec: node.spec ?? {} },
    prefix: found.prefix,
  }
}
