import { resourceRef, type KubeObject } from '../core/index.js'
import type { ConfigResolver } from '../config/index.js'
import type { CompiledPolicySet } from '../engine/index.js'

/**
 * The environment of a live object: `--env`, else the palisade.yaml environment whose
 * `namespaces` globs match its namespace, else the one whose `clusters` globs match the
 * kubeconfig context name or the server URL (cluster-scoped objects take the cluster's).
 */
export function liveEnvironment(
  object: KubeObject,
  cluster: { context: string; server: string },
  resolver: ConfigResolver,
  fixed?: string,
): string | undefined {
  if (fixed !== undefined) return fixed
  const namespace =
    resourceRef(object).namespace ?? (object.kind === 'Namespace' ? resourceRef(object).name : undefined)
  const byNamespace = namespace === undefined ? undefined : resolver.environmentForNamespace(namespace)
  return (
    byNamespace ?? resolver.environmentForCluster(cluster.context) ?? resolver.environmentForCluster(cluster.server)
  )
}

/** The kinds a policy set looks at, or 'all' when one of its policies matches any kind. */
export function policyKinds(policies: CompiledPolicySet): ReadonlySet<string> | 'all' {
  if (policies.anyKind.length > 0) return 'all'
  const kinds = new Set(policies.byKind.keys())
  for (const policy of policies.crossResource) {
    if (policy.kinds === undefined) return 'all'
    for (const kind of policy.kinds) kinds.add(kind)
  }
  return kinds
}
