/**
 * The dense bench corpus: resources the way a first scan of a real repository sees them
 * (about 3 KB each on average, large ConfigMap data, workloads with few security settings,
 * so about nine findings per resource; kubernetes/examples has seven). Deterministic: the
 * same seed and count give the same files, byte for byte. Ten resources per file, one
 * file per folder. Written as text directly (no YAML library) so that generating 100,000
 * resources takes a moment, not the bench's time.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rng } from './rng.js'

const TEAMS = ['payments', 'search', 'checkout', 'identity', 'catalog', 'billing', 'ml', 'platform']
const IMAGES = ['api', 'worker', 'web', 'consumer', 'scheduler', 'gateway', 'indexer', 'exporter']
/** Words of settings (env names may say TOKEN; a properties file rarely does). */
const SETTINGS = [
  'alpha',
  'bravo',
  'cache',
  'delta',
  'event',
  'fetch',
  'group',
  'index',
  'queue',
  'retry',
  'shard',
  'timer',
  'upper',
  'value',
  'write',
  'zone',
]
const WORDS = [
  'alpha',
  'bravo',
  'cache',
  'delta',
  'event',
  'fetch',
  'group',
  'index',
  'queue',
  'retry',
  'shard',
  'token',
  'upper',
  'value',
  'write',
  'zone',
]

type Rand = () => number
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T

function labels(app: string, team: string, pad: string): string {
  return `${pad}app.kubernetes.io/name: ${app}\n${pad}app.kubernetes.io/part-of: ${team}\n${pad}team: ${team}\n`
}

function container(r: Rand, name: string, pad: string): string {
  const tag = r() < 0.3 ? 'latest' : `${1 + Math.floor(r() * 9)}.${Math.floor(r() * 20)}.${Math.floor(r() * 50)}`
  const registry = r() < 0.5 ? 'docker.io/library' : 'registry.example.com/apps'
  let s = `${pad}- name: ${name}\n${pad}  image: ${registry}/${name}:${tag}\n${pad}  ports:\n${pad}  - containerPort: 8080\n${pad}    name: http\n`
  s += `${pad}  env:\n`
  for (let i = 0; i < 6; i++)
    s += `${pad}  - name: ${pick(r, WORDS).toUpperCase()}_${i}\n${pad}    value: "${pick(r, WORDS)}-${Math.floor(r() * 1000)}"\n`
  s += `${pad}  args:\n${pad}  - --listen=:8080\n${pad}  - --log-level=${pick(r, ['info', 'debug', 'warn'])}\n`
  const roll = r()
  if (roll < 0.2) s += `${pad}  securityContext:\n${pad}    privileged: true\n`
  else if (roll < 0.4)
    s += `${pad}  securityContext:\n${pad}    capabilities:\n${pad}      add:\n${pad}      - NET_ADMIN\n${pad}      - SYS_TIME\n`
  else if (roll < 0.55)
    s += `${pad}  securityContext:\n${pad}    allowPrivilegeEscalation: false\n${pad}    runAsNonRoot: true\n`
  if (r() < 0.4)
    s += `${pad}  resources:\n${pad}    requests:\n${pad}      cpu: ${100 + Math.floor(r() * 400)}m\n${pad}      memory: ${128 * (1 + Math.floor(r() * 4))}Mi\n`
  if (r() < 0.3) s += `${pad}  livenessProbe:\n${pad}    httpGet:\n${pad}      path: /healthz\n${pad}      port: http\n`
  s += `${pad}  volumeMounts:\n${pad}  - mountPath: /etc/${name}\n${pad}    name: config\n`
  return s
}

function podSpec(r: Rand, app: string, pad: string): string {
  let s = ''
  if (r() < 0.2) s += `${pad}hostNetwork: true\n`
  if (r() < 0.1) s += `${pad}hostPID: true\n`
  s += `${pad}containers:\n${container(r, app, pad)}`
  if (r() < 0.5) s += container(r, `${app}-sidecar`, pad)
  s += `${pad}volumes:\n${pad}- name: config\n${pad}  configMap:\n${pad}    name: ${app}-config\n`
  if (r() < 0.25) s += `${pad}- name: host\n${pad}  hostPath:\n${pad}    path: /var/run/docker.sock\n`
  return s
}

function workload(r: Rand, app: string, team: string): string {
  const meta = `metadata:\n  name: ${app}\n  namespace: ${team}\n  labels:\n${labels(app, team, '    ')}`
  const roll = r()
  if (roll < 0.55)
    return `apiVersion: apps/v1\nkind: Deployment\n${meta}spec:\n  replicas: ${1 + Math.floor(r() * 3)}\n  selector:\n    matchLabels:\n${labels(app, team, '      ')}  template:\n    metadata:\n      labels:\n${labels(app, team, '        ')}    spec:\n${podSpec(r, app, '      ')}`
  if (roll < 0.7)
    return `apiVersion: apps/v1\nkind: StatefulSet\n${meta}spec:\n  serviceName: ${app}\n  selector:\n    matchLabels:\n${labels(app, team, '      ')}  template:\n    metadata:\n      labels:\n${labels(app, team, '        ')}    spec:\n${podSpec(r, app, '      ')}`
  if (roll < 0.85)
    return `apiVersion: apps/v1\nkind: DaemonSet\n${meta}spec:\n  selector:\n    matchLabels:\n${labels(app, team, '      ')}  template:\n    metadata:\n      labels:\n${labels(app, team, '        ')}    spec:\n${podSpec(r, app, '      ')}`
  return `apiVersion: batch/v1\nkind: CronJob\n${meta}spec:\n  schedule: "*/15 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec(r, app, '          ')}`
}

/** A ConfigMap of application settings: many lines of prose-like values, a few KB. */
function configMap(r: Rand, app: string, team: string, lines: number): string {
  let s = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-config\n  namespace: ${team}\n  labels:\n${labels(app, team, '    ')}data:\n  application.properties: |\n`
  for (let i = 0; i < lines; i++)
    s += `    ${pick(r, SETTINGS)}.${pick(r, SETTINGS)}.${i}=${pick(r, SETTINGS)}-${pick(r, SETTINGS)}-${Math.floor(r() * 100000)}\n`
  s += `  LOG_FORMAT: json\n  FEATURE_${pick(r, SETTINGS).toUpperCase()}: "${r() < 0.5}"\n`
  return s
}

function service(r: Rand, app: string, team: string): string {
  const type = pick(r, ['ClusterIP', 'NodePort', 'LoadBalancer'])
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ${team}\nspec:\n  type: ${type}\n  selector:\n${labels(app, team, '    ')}  ports:\n  - name: http\n    port: 80\n    targetPort: http\n`
}

function role(r: Rand, app: string, team: string): string {
  const verbs = r() < 0.5 ? '["*"]' : '["get", "list", "watch", "create"]'
  const resources = r() < 0.5 ? '["*"]' : '["secrets", "pods", "pods/exec"]'
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${app}\n  namespace: ${team}\nrules:\n- apiGroups: [""]\n  resources: ${resources}\n  verbs: ${verbs}\n`
}

function ingress(app: string, team: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${app}\n  namespace: ${team}\nspec:\n  rules:\n  - host: ${app}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: ${app}\n            port:\n              number: 80\n`
}

/** Ten resources: five workloads, two large ConfigMaps, a Service, a Role and an Ingress. */
function file(r: Rand, i: number): string {
  const team = TEAMS[i % TEAMS.length] as string
  const docs: string[] = []
  for (let w = 0; w < 5; w++) docs.push(workload(r, `${pick(r, IMAGES)}-${i}-${w}`, team))
  const app = `${pick(r, IMAGES)}-${i}`
  docs.push(
    configMap(r, `${app}-a`, team, 190 + Math.floor(r() * 140)),
    configMap(r, `${app}-b`, team, 190 + Math.floor(r() * 140)),
  )
  docs.push(service(r, app, team), role(r, app, team), ingress(app, team))
  return docs.join('---\n')
}

/** Write `resources / 10` files under `dir` (replacing it); returns what was written. */
export function writeDenseCorpus(
  dir: string,
  resources = 20000,
  seed = 7,
): { files: number; resources: number; bytes: number; texts: string[] } {
  rmSync(dir, { recursive: true, force: true })
  const r = rng(seed)
  const files = Math.ceil(resources / 10)
  let bytes = 0
  const texts: string[] = []
  for (let i = 0; i < files; i++) {
    const folder = join(dir, 'apps', TEAMS[i % TEAMS.length] as string, `app-${String(i).padStart(5, '0')}`)
    mkdirSync(folder, { recursive: true })
    const text = `# generated by tools/bench/dense-corpus.ts (seed ${seed})\n${file(r, i)}`
    writeFileSync(join(folder, 'manifests.yaml'), text)
    bytes += Buffer.byteLength(text)
    texts.push(text)
  }
  return { files, resources: files * 10, bytes, texts }
}
