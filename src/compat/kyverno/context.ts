import { isRecord, type KubeObject } from '../../core/index.js'
import { evaluateConditions } from './conditions.js'
import { CompatError, unsupported } from '../shared/errors.js'
import type { Jmespath } from './jmespath.js'
import type { CelPrograms } from '../shared/cel-program.js'
import { substituteAll, substituteString } from './substitute.js'

/** Looks up a cluster object the policies may read (ConfigMaps, Namespaces, ...). */
export type ObjectLookup = (apiVersion: string, kind: string, namespace: string, name: string) => KubeObject | undefined

/** Lists known objects of a kind ('' = every kind) in a namespace (undefined = all namespaces). */
export type ObjectList = (apiVersion: string, kind: string, namespace: string | undefined) => KubeObject[]

/** The JSON context of one rule evaluation, with its JMESPath engine. */
export interface RuleContext {
  data: Record<string, unknown>
  jp: Jmespath
  /** The policy's CEL programs (validate.cel, celPreconditions). */
  cel: CelPrograms
  lookup: ObjectLookup
  list: ObjectList
  /** Image data known without a registry (a test's context file `spec.images`). */
  image?: (reference: string) => Record<string, unknown> | undefined
}

/** Resolve a `{{ }}` expression in a context. */
export function resolver(ctx: RuleContext): (expression: string) => unknown {
  return (expression) => ctx.jp.search(expression, ctx.data)
}

/** A copy of the context with extra top-level data (foreach elements, loaded entries). */
export function extend(ctx: RuleContext, extra: Record<string, unknown>): RuleContext {
  return { ...ctx, data: { ...ctx.data, ...extra } }
}

/**
 * Merge a Values-file entry into context data: `a.b.c: v` sets the nested field, copying
 * every map on the way, as the Kyverno CLI's AddVariable does.
 */
export function setDotted(data: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.')
  let node = data
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string
    const next = node[part]
    const copy: Record<string, unknown> = isRecord(next) ? { ...next } : {}
    node[part] = copy
    node = copy
  }
  const last = parts[parts.length - 1] as string
  node[last] = isRecord(value) && isRecord(node[last]) ? deepMerge(node[last] as Record<string, unknown>, value) : value
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b))
    out[k] = isRecord(v) && isRecord(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v
  return out
}

/**
 * Load a rule's `context` entries in order (each may use the ones before it). Entries
 * whose name the test's values already provide are not loaded: the values mock them.
 */
export function loadContext(entries: unknown, ctx: RuleContext, provided: ReadonlySet<string>): RuleContext {
  if (!Array.isArray(entries)) return ctx
  let current = ctx
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.name !== 'string')
      throw new CompatError('POLICY_INVALID', 'a context entry needs a name')
    const name = entry.name
    if (provided.has(name)) continue
    const value = loadEntry(entry, current)
    current = extend(current, {})
    setDotted(current.data, name, value)
  }
  return current
}

function loadEntry(entry: Record<string, unknown>, ctx: RuleContext): unknown {
  const resolve = resolver(ctx)
  if (isRecord(entry.variable)) {
    const v = entry.variable
    let out: unknown
    if (v.value !== undefined) {
      const value = substituteAll(v.value, resolve)
      out =
        typeof v.jmesPath === 'string' && v.jmesPath !== ''
          ? ctx.jp.search(String(substituteString(v.jmesPath, resolve)), value)
          : value
    } else if (typeof v.jmesPath === 'string' && v.jmesPath !== '') {
      out = ctx.jp.search(String(substituteString(v.jmesPath, resolve)), ctx.data)
    }
    if ((out === null || out === undefined) && v.default !== undefined) out = substituteAll(v.default, resolve)
    if (out === undefined || out === null) {
      if (v.value === undefined && v.default === undefined)
        throw new CompatError('POLICY_INVALID', `context variable ${String(entry.name)} evaluated to null`)
      return null
    }
    return out
  }
  if (isRecord(entry.configMap)) {
    const name = String(substituteString(String(entry.configMap.name ?? ''), resolve))
    const namespace = String(substituteString(String(entry.configMap.namespace ?? ''), resolve))
    const cm = ctx.lookup('v1', 'ConfigMap', namespace, name)
    if (cm === undefined)
      throw new CompatError(
        'POLICY_INVALID',
        `failed to load context entry ${String(entry.name)}: ConfigMap ${namespace}/${name} not found`,
      )
    return cm
  }
  if (isRecord(entry.apiCall)) return apiCall(entry, ctx)
  if (isRecord(entry.imageRegistry)) return imageRegistry(entry, ctx)
  if (entry.globalReference !== undefined) throw unsupported('context.globalReference', `entry ${String(entry.name)}`)
  throw unsupported('context entry', `entry ${String(entry.name)} has no supported source`)
}

const API_PATH =
  /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/?]+)(?:\/([^/?]+))?\/?(?:\?.*)?$/

/** Plural resource names of common kinds, for apiCall paths served from known objects. */
const PLURALS: Readonly<Record<string, string>> = {
  pods: 'Pod',
  services: 'Service',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  namespaces: 'Namespace',
  serviceaccounts: 'ServiceAccount',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  replicasets: 'ReplicaSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  ingresses: 'Ingress',
  networkpolicies: 'NetworkPolicy',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  persistentvolumes: 'PersistentVolume',
  roles: 'Role',
  rolebindings: 'RoleBinding',
  clusterroles: 'ClusterRole',
  clusterrolebindings: 'ClusterRoleBinding',
  nodes: 'Node',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  poddisruptionbudgets: 'PodDisruptionBudget',
  storageclasses: 'StorageClass',
  resourcequotas: 'ResourceQuota',
  limitranges: 'LimitRange',
  endpoints: 'Endpoints',
  routes: 'Route',
  gateways: 'Gateway',
  httproutes: 'HTTPRoute',
}

/**
 * apiCall entries read the Kubernetes API. Palisade has no API server: a GET of a list or
 * an object is served from the objects of the run (the scan, or the test's context file);
 * service calls and other methods are unsupported.
 */
function apiCall(entry: Record<string, unknown>, ctx: RuleContext): unknown {
  const call = entry.apiCall as Record<string, unknown>
  const resolve = resolver(ctx)
  if (call.service !== undefined || (call.method !== undefined && call.method !== 'GET')) {
    throw unsupported('context.apiCall', `entry ${String(entry.name)} calls a service or uses a method other than GET`)
  }
  const path = String(substituteString(String(call.urlPath ?? ''), resolve))
  const m = API_PATH.exec(path)
  const kind = m ? PLURALS[m[5] as string] : undefined
  if (!m || kind === undefined)
    throw unsupported('context.apiCall', `entry ${String(entry.name)}: cannot serve ${path} without an API server`)
  const apiVersion = m[1] ?? `${m[2] as string}/${m[3] as string}`
  const namespace = m[4]
  let data: unknown
  if (m[6] !== undefined) {
    data = ctx.lookup(apiVersion, kind, namespace ?? '', m[6])
    if (data === undefined)
      throw new CompatError('POLICY_INVALID', `failed to load context entry ${String(entry.name)}: ${path} not found`)
  } else {
    data = { apiVersion, kind: `${kind}List`, metadata: {}, items: ctx.list(apiVersion, kind, namespace) }
  }
  if (typeof call.jmesPath === 'string' && call.jmesPath !== '') {
    return ctx.jp.search(String(substituteString(call.jmesPath, resolve)), data)
  }
  return data
}

/**
 * imageRegistry entries read an OCI registry. Palisade does not call registries: image data
 * comes from the test's context file (or a values mock); anything else is unsupported.
 */
function imageRegistry(entry: Record<string, unknown>, ctx: RuleContext): unknown {
  const spec = entry.imageRegistry as Record<string, unknown>
  const resolve = resolver(ctx)
  const reference = String(substituteString(String(spec.reference ?? ''), resolve))
  const known = ctx.image?.(reference)
  if (known === undefined)
    throw unsupported(
      'context.imageRegistry',
      `entry ${String(entry.name)}: no image data for ${reference} without a registry`,
    )
  if (typeof spec.jmesPath === 'string' && spec.jmesPath !== '')
    return ctx.jp.search(String(substituteString(spec.jmesPath, resolve)), known)
  return known
}

/** Preconditions of a rule or foreach: evaluate, or throw a CompatError. */
export function preconditionsHold(preconditions: unknown, ctx: RuleContext): { holds: boolean; message: string } {
  return evaluateConditions(preconditions, resolver(ctx))
}
