/**
 * A deterministic corpus of realistic manifests for benchmarks: the same seed gives the
 * same files, byte for byte. Roughly 1 in 4 workloads carries a deliberate
 * misconfiguration so that findings (and position lookups) are part of the cost.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { rng } from './rng.js'

const TEAMS = ['payments', 'search', 'checkout', 'identity', 'catalog', 'billing', 'ml', 'platform']
const IMAGES = ['api', 'worker', 'web', 'consumer', 'scheduler', 'gateway', 'indexer', 'exporter']

function container(r: () => number, name: string, bad: boolean): Record<string, unknown> {
  const image = `registry.example.com/${name}:${1 + Math.floor(r() * 9)}.${Math.floor(r() * 20)}.${Math.floor(r() * 50)}`
  const c: Record<string, unknown> = {
    name,
    image: bad && r() < 0.3 ? `docker.io/library/${name}:latest` : image,
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
    ],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'DB_HOST', value: `${name}-db.svc.cluster.local` },
    ],
    resources: {
      requests: { cpu: `${100 + Math.floor(r() * 400)}m`, memory: `${128 * (1 + Math.floor(r() * 4))}Mi` },
      limits: { memory: `${512 * (1 + Math.floor(r() * 4))}Mi` },
    },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 10 },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  }
  if (bad) {
    const roll = r()
    if (roll < 0.25) c.securityContext = { privileged: true }
    else if (roll < 0.5) delete c.resources
    else if (roll < 0.75) (c.securityContext as Record<string, unknown>).capabilities = { add: ['NET_ADMIN'] }
    else delete c.securityContext
  }
  return c
}

function workload(r: () => number, i: number): Record<string, unknown>[] {
  const team = TEAMS[i % TEAMS.length] as string
  const app = `${IMAGES[Math.floor(r() * IMAGES.length)] as string}-${i}`
  const bad = r() < 0.25
  const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': team, team }
  const podSpec = {
    serviceAccountName: app,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container(r, app, bad), container(r, `${app}-sidecar`, false)],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  }
  const meta = { name: app, namespace: team, labels, annotations: { 'example.com/owner': `${team}@example.com` } }
  const kind = r()
  const main =
    kind < 0.7
      ? {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: meta,
          spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
        }
      : kind < 0.85
        ? {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            metadata: meta,
            spec: {
              serviceName: app,
              replicas: 3,
              selector: { matchLabels: labels },
              template: { metadata: { labels }, spec: podSpec },
            },
          }
        : {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            metadata: meta,
            spec: {
              schedule: '*/15 * * * *',
              jobTemplate: {
                spec: { template: { metadata: { labels }, spec: { ...podSpec, restartPolicy: 'OnFailure' } } },
              },
            },
          }
  return [
    main,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: team, labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: app, namespace: team, labels },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app}-config`, namespace: team, labels },
      data: { 'config.yaml': `server:\n  port: 8080\nfeatures:\n  beta: ${r() < 0.5}\n` },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: app, namespace: team, labels },
      spec: {
        tls: [{ hosts: [`${app}.example.com`], secretName: `${app}-tls` }],
        rules: [
          {
            host: `${app}.example.com`,
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app, port: { number: 80 } } } }],
            },
          },
        ],
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: app, namespace: team },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: app, namespace: team },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: app },
      subjects: [{ kind: 'ServiceAccount', name: app, namespace: team }],
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: app, namespace: team },
      spec: { minAvailable: 1, selector: { matchLabels: labels } },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: app, namespace: team },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: app, namespace: team },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } } }],
            ports: [{ port: 8080 }],
          },
        ],
      },
    },
  ]
}

/** Write `files` files of 10 resources each under `dir`; returns the resources per file. */
export function writeCorpus(
  dir: string,
  files = 2000,
  seed = 42,
): { files: number; resources: number; bytes: number; objects: unknown[][] } {
  rmSync(dir, { recursive: true, force: true })
  const r = rng(seed)
  let resources = 0
  let bytes = 0
  const objects: unknown[][] = []
  for (let i = 0; i < files; i++) {
    const docs = workload(r, i)
    const team = TEAMS[i % TEAMS.length] as string
    const folder = join(dir, 'apps', team, `app-${String(i).padStart(4, '0')}`)
    mkdirSync(folder, { recursive: true })
    const text =
      `# generated by tools/bench/corpus.ts (seed ${seed})\n` +
      docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n')
    writeFileSync(join(folder, 'manifests.yaml'), text)
    resources += docs.length
    bytes += Buffer.byteLength(text)
    objects.push(docs)
  }
  return { files, resources, bytes, objects }
}
