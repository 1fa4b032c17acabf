/** What `palisade install --print` needs to know. */
export interface InstallOptions {
  namespace: string
  /** Image reference; pin it by digest (`repo@sha256:...`) for production. */
  image: string
  /** Base64 of the CA certificate (PEM) the API server should trust; empty leaves a placeholder to patch. */
  caBundle: string
  /** Environment names from the configuration: one webhook entry each, selected by namespace label. */
  environments: readonly string[]
  /** Plural resource names the policies can match (from their kinds). */
  resources: readonly string[]
  failurePolicy: 'Fail' | 'Ignore'
  timeoutSeconds: number
  /** palisade.yaml text to ship in a ConfigMap (and pass with --config), if any. */
  configText?: string
  /** Extra `serve` arguments (--action, --failure-policy, --policies). */
  serveArgs: readonly string[]
}

/** The namespace label that names a namespace's environment. */
export const ENVIRONMENT_LABEL = 'palisade.dev/environment'
const APP = 'palisade-webhook'
const PORT = 8443
const UID = 65532

/**
 * Every object a cluster needs to run the webhook, in apply order: Namespace (Pod
 * Security restricted), ServiceAccount (no token: the webhook never calls the API, so it
 * needs no RBAC rules at all), NetworkPolicy, LimitRange, ResourceQuota, optional
 * ConfigMap, Deployment (2 replicas, restricted security context, probes), Service,
 * PodDisruptionBudget, then the Validating- and MutatingWebhookConfiguration with one
 * entry per environment and a catch-all for namespaces without the label.
 */
export function installManifests(o: InstallOptions): Record<string, unknown>[] {
  const ns = o.namespace
  const labels = { 'app.kubernetes.io/name': APP, 'app.kubernetes.io/part-of': 'palisade' }
  const meta = (name: string): Record<string, unknown> => ({ name, namespace: ns, labels })
  const out: Record<string, unknown>[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(APP), automountServiceAccountToken: false },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(`${APP}-default-deny`),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      // The API server's source addresses differ per cluster; the webhook port is all that is open.
      metadata: meta(`${APP}-allow-api-server`),
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': APP } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: PORT }] }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(`${APP}-limits`),
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '1', memory: '256Mi', 'ephemeral-storage': '64Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '16Mi' },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(`${APP}-quota`),
      spec: {
        hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.cpu': '4', 'limits.memory': '2Gi' },
      },
    },
  ]
  const args = [
    'serve',
    '--tls-cert',
    '/tls/tls.crt',
    '--tls-key',
    '/tls/tls.key',
    '--port',
    String(PORT),
    '--shutdown-delay',
    '5000',
    ...o.serveArgs,
  ]
  const volumes: Record<string, unknown>[] = [{ name: 'tls', secret: { secretName: `${APP}-tls` } }]
  const mounts: Record<string, unknown>[] = [{ name: 'tls', mountPath: '/tls', readOnly: true }]
  if (o.configText !== undefined) {
    out.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${APP}-config`),
      data: { 'palisade.yaml': o.configText },
    })
    volumes.push({ name: 'config', configMap: { name: `${APP}-config` } })
    mounts.push({ name: 'config', mountPath: '/etc/palisade', readOnly: true })
    args.push('--config', '/etc/palisade/palisade.yaml')
  }
  out.push(deployment(meta(APP), labels, o.image, args, volumes, mounts))
  out.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(APP),
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': APP },
      ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }],
    },
  })
  out.push({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(APP),
    spec: { minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': APP } } },
  })
  out.push(webhookConfiguration('ValidatingWebhookConfiguration', 'validate', o, labels))
  out.push(webhookConfiguration('MutatingWebhookConfiguration', 'mutate', o, labels))
  return out
}

function deployment(
  metadata: Record<string, unknown>,
  labels: Record<string, string>,
  image: string,
  args: string[],
  volumes: unknown[],
  mounts: unknown[],
): Record<string, unknown> {
  const probe = (path: string, period: number): Record<string, unknown> => ({
    httpGet: { path, port: 'https', scheme: 'HTTPS' },
    periodSeconds: period,
    timeoutSeconds: 2,
    failureThreshold: 3,
  })
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': APP } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: APP,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: UID,
            runAsGroup: UID,
            fsGroup: UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { 'app.kubernetes.io/name': APP } },
            },
          ],
          containers: [
            {
              name: 'webhook',
              image,
              imagePullPolicy: 'Always',
              args,
              ports: [{ name: 'https', containerPort: PORT, protocol: 'TCP' }],
              resources: {
                requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '16Mi' },
                limits: { cpu: '1', memory: '256Mi', 'ephemeral-storage': '64Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: UID,
                runAsGroup: UID,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              readinessProbe: probe('/readyz', 5),
              livenessProbe: probe('/healthz', 10),
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  }
}

function webhookConfiguration(
  kind: string,
  webhook: 'validate' | 'mutate',
  o: InstallOptions,
  labels: Record<string, string>,
): Record<string, unknown> {
  const notSystem = {
    key: 'kubernetes.io/metadata.name',
    operator: 'NotIn',
    values: [...new Set(['kube-system', o.namespace])],
  }
  const entry = (
    name: string,
    path: string,
    selector: Record<string, unknown>,
    conditions: readonly { name: string; expression: string }[],
  ): Record<string, unknown> => ({
    name,
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    timeoutSeconds: o.timeoutSeconds,
    failurePolicy: o.failurePolicy,
    matchPolicy: 'Equivalent',
    ...(webhook === 'mutate' ? { reinvocationPolicy: 'Never' } : {}),
    clientConfig: { service: { name: APP, namespace: o.namespace, path, port: 443 }, caBundle: o.caBundle },
    namespaceSelector: selector,
    rules: [
      {
        operations: ['CREATE', 'UPDATE'],
        apiGroups: ['*'],
        apiVersions: ['*'],
        resources: [...o.resources],
        scope: '*',
      },
    ],
    ...(conditions.length > 0 ? { matchConditions: conditions } : {}),
  })
  // With every resource registered (rules that match any kind, such as the credential rules),
  // high-churn and virtual resources stay out: an Event or a Lease (leader election) must
  // never wait on, or fail with, a policy webhook.
  const churn = o.resources.includes('*') ? CHURN_EXCLUSIONS : []
  // A namespaceSelector never skips a cluster-scoped object (other than a Namespace, matched
  // on its own labels), so every environment's entry would judge it and the strictest would
  // win. Cluster-scoped objects are judged once, by the catch-all entry, in its environment.
  const webhooks = o.environments.map((env) =>
    entry(
      `${webhook}-${env}.palisade.dev`,
      `/${webhook}/${env}`,
      { matchLabels: { [ENVIRONMENT_LABEL]: env }, matchExpressions: [notSystem] },
      [...churn, NAMESPACED_OR_NAMESPACE],
    ),
  )
  // NotIn also selects namespaces without the label, and those whose label names no configured environment.
  const others =
    o.environments.length > 0
      ? { key: ENVIRONMENT_LABEL, operator: 'NotIn', values: [...o.environments] }
      : { key: ENVIRONMENT_LABEL, operator: 'DoesNotExist' }
  webhooks.push(entry(`${webhook}.palisade.dev`, `/${webhook}`, { matchExpressions: [others, notSystem] }, churn))
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name: `palisade-${webhook}`, labels },
    webhooks,
  }
}

/** matchConditions (CEL, admissionregistration.k8s.io/v1, GA in Kubernetes 1.30) that keep churn out of a `*` webhook. */
const CHURN_EXCLUSIONS: readonly { name: string; expression: string }[] = [
  {
    name: 'not-events',
    expression: "!(request.resource.resource == 'events' && request.resource.group in ['', 'events.k8s.io'])",
  },
  {
    name: 'not-leases',
    expression: "!(request.resource.resource == 'leases' && request.resource.group == 'coordination.k8s.io')",
  },
  { name: 'not-reviews', expression: "!(request.resource.group in ['authentication.k8s.io', 'authorization.k8s.io'])" },
]

/** Environment entries judge namespaced objects and Namespaces; the catch-all judges other cluster-scoped ones. */
const NAMESPACED_OR_NAMESPACE = {
  name: 'namespaced-or-namespace',
  expression: "request.namespace != '' || (request.resource.group == '' && request.resource.resource == 'namespaces')",
}

/** The plural resource name of a kind, as webhook rules name resources (Ingress → ingresses). */
export function resourceOfKind(kind: string): string {
  const lower = kind.toLowerCase()
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`
  return `${lower}s`
}
