/**
 * The Kubernetes API edge: kubeconfig and in-cluster access, a small HTTPS client,
 * discovery, paged lists with bounded memory, and server-side apply/delete for the
 * reports `audit --write-reports` writes. No policy logic: src/live holds the pure part.
 */
export { readKubeconfig, inClusterAccess } from './kubeconfig.js'
export type { ClusterAccess } from './kubeconfig.js'
export { KubeClient, MAX_RESPONSE_BYTES, statusMessage } from './client.js'
export type { KubeResponse, RequestOptions } from './client.js'
export { discoverResources, apiVersionOf, collectionPath } from './discovery.js'
export type { ApiResource } from './discovery.js'
export { listObjects, slimObject, PAGE_SIZE } from './list.js'
export { collectLive } from './collect.js'
export type { CollectOptions } from './collect.js'
export { applyObjects, deleteObjects } from './apply.js'
export { serverDefaulted } from './dry-run.js'
