import { collectLive, serverDefaulted, slimObject, type ApiResource, type KubeClient } from '../cluster/index.js'
import {
  isRecord,
  resourceRef,
  type BlockingRule,
  type CheckResult,
  type Diagnostic,
  type KubeObject,
  type Severity,
  type SourceSpan,
} from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import {
  computeDrift,
  driftResult,
  livePath,
  liveEnvironment,
  objectKey,
  policyKinds,
  type Drift,
  type GitObject,
} from '../live/index.js'
import type { LocatedResource } from '../pipeline/index.js'
import { clusterClient, type ClusterFlags } from './cluster-access.js'
import { collectInputs, requireExistingPaths, type InputOptions } from './collect-inputs.js'
import type { AppIo, ProgressSink } from './io.js'
import { loadPolicySet, type PolicyOptions } from './policy-set.js'
import { redactedResult } from './redact-result.js'

/** What `drift` is asked: the repository folder, the cluster, a namespace, the policies that judge relevance. */
export interface DriftOptions extends PolicyOptions, ClusterFlags, InputOptions {
  path: string
  namespace?: string
  env?: string
  failOn?: Severity
  onProgress?: ProgressSink
}

export interface DriftOutcome {
  /** Drift findings (drift-changed, drift-unmanaged, drift-missing), complete and redacted. */
  result: CheckResult
  drifts: Drift[]
  config: PalisadeConfig
  rule: BlockingRule
}

/** Namespaces whose objects the platform, not Git, owns. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease'])

/**
 * `palisade drift` as a use case: render the repository as scan does, read the live
 * objects of Git's kinds and the policies' kinds, let the API server default each Git object
 * (dry-run create), compare, and judge what is security-relevant with the scan's policies.
 */
export async function runDrift(options: DriftOptions, io: AppIo): Promise<DriftOutcome> {
  await requireExistingPaths([options.path], io.cwd)
  const policySet = await loadPolicySet({ ...options, scanPaths: [options.path] }, io)
  const { config, policies } = policySet
  const resolver = policySet.resolverAt(io.now())
  const inputs = await collectInputs([options.path], options, config, resolver, io, options.onProgress ?? (() => {}))
  const client = clusterClient(options, io)
  try {
    const gitKinds = new Set(inputs.resources.map((r) => String(r.object.kind)))
    const wanted = policyKinds(policies)
    const live: KubeObject[] = []
    const { types, diagnostics } = await collectLive(client, {
      kinds: wanted === 'all' ? 'all' : new Set([...wanted, ...gitKinds]),
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
      onObject: (o) => live.push(o),
    })
    const git = await gitObjects(
      client,
      inputs.resources,
      new Map(types.map((t) => [t.kind, t])),
      options.namespace,
      diagnostics,
    )
    const gitNamespaces = new Set(git.flatMap((g) => (g.namespace ? [g.namespace] : [])))
    const drifts = computeDrift(git, live, {
      policies,
      namespaces: new Map(live.filter((o) => o.kind === 'Namespace').map((o) => [resourceRef(o).name, o])),
      environmentOf: (o) => liveEnvironment(o, client.access, resolver, options.env),
      inScope: (o) => managedScope(o, gitKinds, gitNamespaces, options.namespace),
    })
    const all = [...policySet.diagnostics, ...inputs.diagnostics, ...diagnostics]
    const result = driftResult(drifts, all, (d) => liveSpan(client.access.context, d), {
      files: inputs.sources.length + (inputs.gitops?.texts.size ?? 0),
      resources: git.length,
    })
    const withText = new Set(result.findings.flatMap((f) => (f.span ? [f.span.file] : [])))
    const sources = new Map<string, string>()
    for (const s of inputs.sources) if (withText.has(s.path)) sources.set(s.path, s.text)
    for (const [file, text] of inputs.gitops?.texts ?? []) if (withText.has(file)) sources.set(file, text)
    const failOn = options.failOn ?? config.failOn
    return {
      result: redactedResult({ ...result, sources }),
      drifts,
      config,
      rule: { ...(failOn ? { failOn } : {}), ...(config.errors ? { errors: config.errors } : {}) },
    }
  } finally {
    client.close()
  }
}

/** The Git objects with their namespace and, when the server can tell, their defaulted form. */
async function gitObjects(
  client: KubeClient,
  resources: readonly LocatedResource[],
  typeOf: ReadonlyMap<string, ApiResource>,
  only: string | undefined,
  diagnostics: Diagnostic[],
): Promise<GitObject[]> {
  const out: GitObject[] = []
  for (const resource of resources) {
    const type = typeOf.get(String(resource.object.kind))
    const namespace = type?.namespaced === false ? undefined : (resourceRef(resource.object).namespace ?? 'default')
    if (only !== undefined && namespace !== undefined && namespace !== only) continue
    const entry: GitObject = { resource, ...(namespace ? { namespace } : {}) }
    if (type) {
      const defaulted = await serverDefaulted(client, type, resource.object, namespace)
      if ('object' in defaulted) entry.defaulted = slimObject(defaulted.object)
      else
        diagnostics.push({
          code: 'CLUSTER_FAILED',
          severity: 'warning',
          message: `${objectKey(resource.object, namespace)}: compared without server defaults (dry-run refused: ${defaulted.reason})`,
          span: resource.locate(''),
        })
    }
    out.push(entry)
  }
  return out
}

/** A live object counts as unmanaged only where Git manages things: its kinds and namespaces, not controller-made, not system. */
function managedScope(
  object: KubeObject,
  kinds: ReadonlySet<string>,
  namespaces: ReadonlySet<string>,
  only: string | undefined,
): boolean {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.length > 0) return false
  const ref = resourceRef(object)
  if (ref.namespace === undefined)
    return kinds.has(ref.kind) && ref.kind !== 'Namespace' && !ref.name.startsWith('system:')
  if (SYSTEM_NAMESPACES.has(ref.namespace)) return false
  if (only === undefined && !namespaces.has(ref.namespace)) return false
  return !(
    (ref.kind === 'ServiceAccount' && ref.name === 'default') ||
    (ref.kind === 'ConfigMap' && ref.name === 'kube-root-ca.crt')
  )
}

/** Where an unmanaged object is reported: its live path, line 1. */
function liveSpan(context: string, drift: Drift): SourceSpan {
  const { apiVersion, kind, name, namespace } = drift.resource
  const file = livePath(context, { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } })
  return { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }
}
