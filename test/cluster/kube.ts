import { inject } from 'vitest'
import { KubeClient, readKubeconfig, statusMessage, type KubeResponse } from '../../src/cluster/index.js'
import type { KubeObject } from '../../src/core/index.js'

/** The API server this run started (null when the cluster tests are skipped: one line said why). */
export const cluster = inject('cluster')

/** An admin client for the test API server. */
export function adminClient(): KubeClient {
  if (!cluster) throw new Error('no cluster')
  return new KubeClient(readKubeconfig(cluster.kubeconfig))
}

/** A namespace name unique to this run and test (namespaces never finish deleting without a controller-manager). */
export function uniqueNamespace(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`
}

/** Plural paths of the kinds the tests create. */
const PATHS: Record<string, { base: string; plural: string; namespaced: boolean }> = {
  Namespace: { base: '/api/v1', plural: 'namespaces', namespaced: false },
  Pod: { base: '/api/v1', plural: 'pods', namespaced: true },
  ConfigMap: { base: '/api/v1', plural: 'configmaps', namespaced: true },
  Service: { base: '/api/v1', plural: 'services', namespaced: true },
  ServiceAccount: { base: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  Deployment: { base: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  NetworkPolicy: { base: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  CustomResourceDefinition: {
    base: '/apis/apiextensions.k8s.io/v1',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
  ValidatingWebhookConfiguration: {
    base: '/apis/admissionregistration.k8s.io/v1',
    plural: 'validatingwebhookconfigurations',
    namespaced: false,
  },
  MutatingWebhookConfiguration: {
    base: '/apis/admissionregistration.k8s.io/v1',
    plural: 'mutatingwebhookconfigurations',
    namespaced: false,
  },
  LimitRange: { base: '/api/v1', plural: 'limitranges', namespaced: true },
  ResourceQuota: { base: '/api/v1', plural: 'resourcequotas', namespaced: true },
  PodDisruptionBudget: { base: '/apis/policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
  ValidatingAdmissionPolicy: {
    base: '/apis/admissionregistration.k8s.io/v1',
    plural: 'validatingadmissionpolicies',
    namespaced: false,
  },
  ValidatingAdmissionPolicyBinding: {
    base: '/apis/admissionregistration.k8s.io/v1',
    plural: 'validatingadmissionpolicybindings',
    namespaced: false,
  },
}

/** The object's collection URL path. */
export function collectionOf(object: KubeObject): string {
  const kind = String(object.kind)
  const p = PATHS[kind]
  if (!p) throw new Error(`test helper: add ${kind} to PATHS`)
  const ns = (object.metadata as { namespace?: string } | undefined)?.namespace
  return p.namespaced ? `${p.base}/namespaces/${ns ?? 'default'}/${p.plural}` : `${p.base}/${p.plural}`
}

/** The object's own URL path. */
export function pathOf(object: KubeObject): string {
  return `${collectionOf(object)}/${(object.metadata as { name: string }).name}`
}

/** Create through the API server (as kubectl create would); returns the answer, denials included. */
export async function create(
  client: KubeClient,
  object: KubeObject,
  options: { dryRun?: boolean } = {},
): Promise<KubeResponse> {
  return client.request('POST', `${collectionOf(object)}${options.dryRun ? '?dryRun=All' : ''}`, {
    body: object,
    accept: [400, 403, 409, 422, 500],
  })
}

/** Create and insist it worked. */
export async function mustCreate(client: KubeClient, object: KubeObject): Promise<KubeObject> {
  const answer = await create(client, object)
  if (answer.status >= 300)
    throw new Error(`create ${String(object.kind)}: ${answer.status} ${statusMessage(answer.body)}`)
  return answer.body as KubeObject
}

/** A JSON merge patch (`kubectl patch --type merge`) or strategic merge patch (kubectl's default): an out-of-band change. */
export async function mergePatch(
  client: KubeClient,
  object: KubeObject,
  patch: unknown,
  type: 'merge' | 'strategic' = 'merge',
): Promise<void> {
  await client.request('PATCH', pathOf(object), {
    body: patch,
    contentType: `application/${type === 'merge' ? 'merge' : 'strategic-merge'}-patch+json`,
  })
}

/** A Namespace with labels. */
export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }
}
