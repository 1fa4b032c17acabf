/**
 * `npx tsx tools/bench/cel-bench.ts`: nanoseconds per evaluation of realistic policy
 * expressions for Palisade's compiled CEL, for @marcbachmann/cel-js's evaluator (parsed
 * once, evaluated per call) and for a hand-written JS predicate doing the same check,
 * over 16 variants of a pod. Results of the three are compared before timing. `--quick`
 * shortens the runs.
 */
import { Environment } from '@marcbachmann/cel-js'
import { compileCel } from '../../src/cel/index.js'

type Act = Record<string, unknown>
interface Container {
  name: string
  image: string
  securityContext?: { privileged?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } }
  resources: { limits: { memory?: string; cpu?: string }; requests: { cpu: string; memory: string } }
  ports?: { containerPort: number; hostPort?: number }[]
}
interface Pod {
  metadata: { name: string; labels?: Record<string, string> }
  spec: {
    replicas: number
    hostNetwork?: boolean
    hostPID?: boolean
    hostIPC?: boolean
    dnsPolicy?: string
    securityContext?: { runAsNonRoot?: boolean }
    containers: Container[]
    volumes?: Record<string, unknown>[]
  }
}

const container = (
  name: string,
  image: string,
  memory: string,
  cpu: string,
  extra: Partial<Container> = {},
): Container => ({
  name,
  image,
  securityContext: { privileged: false, runAsNonRoot: true, capabilities: { drop: ['NET_RAW', 'ALL'] } },
  resources: { limits: { memory, cpu }, requests: { cpu, memory } },
  ports: [{ containerPort: 8080 }],
  ...extra,
})

const object: Pod = {
  metadata: { name: 'checkout', labels: { 'app.kubernetes.io/name': 'checkout', team: 'payments', tier: 'backend' } },
  spec: {
    replicas: 3,
    securityContext: { runAsNonRoot: true },
    containers: [
      container('app', 'ghcr.io/acme/checkout:1.14.2', '512Mi', '500m'),
      container('sidecar', 'registry.example.com/mesh/proxy:2.1.0', '128Mi', '100m', {
        ports: [{ containerPort: 15001 }, { containerPort: 15090, hostPort: 0 }],
      }),
      container('metrics', 'ghcr.io/acme/exporter:0.9.1', '64Mi', '50m', { securityContext: { privileged: false } }),
    ],
    volumes: [
      { name: 'config', configMap: { name: 'checkout' } },
      { name: 'tmp', emptyDir: {} },
      { name: 'token', projected: { sources: [] } },
    ],
  },
}
/**
 * A scan sees many resource shapes, so the activations rotate through 16 variants of the
 * pod (fields added, removed and reordered): property caches are as polymorphic as in
 * real use, for the hand-written predicates too.
 */
function variant(i: number): Act {
  const o = structuredClone(object) as Pod & Record<string, unknown>
  if (i & 1) o.metadata.labels = { team: 'search', ...o.metadata.labels, [`extra-${i}`]: 'x' }
  if (i & 2) o.spec.containers = o.spec.containers.map((c) => ({ env: [], ...c, [`field${i}`]: i }))
  if (i & 4) o.spec = { hostNetwork: false, ...o.spec, dnsPolicy: 'ClusterFirst' }
  if (i & 8) o.spec.containers = o.spec.containers.slice(0, 2)
  o[`status${i % 3}`] = { phase: 'Running' }
  return { object: o, params: { maxReplicas: 10 + i } }
}
const acts: Act[] = Array.from({ length: 16 }, (_, i) => variant(i))

const GiB = 2 ** 30
const memoryBytes = (q: string): number => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(q)
  if (!m) return NaN
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: GiB, k: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ''] ?? 1
  return Number(m[1]) * unit
}
const cpuMillis = (q: string): number => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000)
const pod = (a: Act): Pod => a.object as Pod
const IMAGE = /^(ghcr\.io|registry\.example\.com)\//

interface Case {
  name: string
  expr: string
  hand: (a: Act) => boolean
  /** cel-js cannot run Kubernetes library functions. */
  k8s?: boolean
}

const CASES: Case[] = [
  {
    name: 'privileged (has chain)',
    expr: 'object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false)',
    hand: (a) =>
      pod(a).spec.containers.every(
        (c) => c.securityContext?.privileged === undefined || c.securityContext.privileged === false,
      ),
  },
  {
    name: 'runAsNonRoot (optional)',
    expr: 'object.spec.?securityContext.?runAsNonRoot.orValue(false) == true',
    hand: (a) => (pod(a).spec.securityContext?.runAsNonRoot ?? false) === true,
  },
  {
    name: 'host namespaces',
    expr: '!(object.spec.?hostNetwork.orValue(false) || object.spec.?hostPID.orValue(false) || object.spec.?hostIPC.orValue(false))',
    hand: (a) => !(pod(a).spec.hostNetwork ?? pod(a).spec.hostPID ?? pod(a).spec.hostIPC ?? false),
  },
  {
    name: 'image registry (regex)',
    expr: "object.spec.containers.all(c, c.image.matches('^(ghcr\\\\.io|registry\\\\.example\\\\.com)/'))",
    hand: (a) => pod(a).spec.containers.every((c) => IMAGE.test(c.image)),
  },
  {
    name: 'no :latest tag',
    expr: "object.spec.containers.all(c, !c.image.endsWith(':latest') && c.image.contains(':'))",
    hand: (a) => pod(a).spec.containers.every((c) => !c.image.endsWith(':latest') && c.image.includes(':')),
  },
  {
    name: 'memory limit <= 2Gi (quantity)',
    expr: "object.spec.containers.all(c, has(c.resources.limits.memory) && quantity(c.resources.limits.memory).compareTo(quantity('2Gi')) <= 0)",
    hand: (a) =>
      pod(a).spec.containers.every(
        (c) => c.resources.limits.memory !== undefined && memoryBytes(c.resources.limits.memory) <= 2 * GiB,
      ),
    k8s: true,
  },
  {
    name: 'cpu request < 2 (quantity)',
    expr: "object.spec.containers.all(c, quantity(c.resources.requests.cpu).isLessThan(quantity('2')))",
    hand: (a) => pod(a).spec.containers.every((c) => cpuMillis(c.resources.requests.cpu) < 2000),
    k8s: true,
  },
  {
    name: 'labels (in, map index)',
    expr: "has(object.metadata.labels) && 'app.kubernetes.io/name' in object.metadata.labels && object.metadata.labels['team'] in ['payments', 'search', 'platform']",
    hand: (a) => {
      const labels = pod(a).metadata.labels
      return (
        labels !== undefined &&
        'app.kubernetes.io/name' in labels &&
        ['payments', 'search', 'platform'].includes(labels.team ?? '')
      )
    },
  },
  {
    name: 'replicas within params',
    expr: 'object.spec.replicas >= 2 && object.spec.replicas <= params.maxReplicas',
    hand: (a) => pod(a).spec.replicas >= 2 && pod(a).spec.replicas <= (a.params as { maxReplicas: number }).maxReplicas,
  },
  {
    name: 'drop ALL capabilities',
    expr: "object.spec.containers.all(c, has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.drop) && c.securityContext.capabilities.drop.exists(d, d == 'ALL'))",
    hand: (a) => pod(a).spec.containers.every((c) => c.securityContext?.capabilities?.drop?.includes('ALL') === true),
  },
  {
    name: 'no host ports (nested all)',
    expr: 'object.spec.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0))',
    hand: (a) =>
      pod(a).spec.containers.every((c) => (c.ports ?? []).every((p) => p.hostPort === undefined || p.hostPort === 0)),
  },
  {
    name: 'allowed volume types',
    expr: '!has(object.spec.volumes) || object.spec.volumes.all(v, has(v.configMap) || has(v.secret) || has(v.emptyDir) || has(v.projected) || has(v.persistentVolumeClaim))',
    hand: (a) =>
      (pod(a).spec.volumes ?? []).every(
        (v) => 'configMap' in v || 'secret' in v || 'emptyDir' in v || 'projected' in v || 'persistentVolumeClaim' in v,
      ),
  },
]

const quick = process.argv.includes('--quick')
const targetMs = quick ? 60 : 250

/** Median ns per call over 5 timed batches sized to about targetMs / 5 each. */
function measure(fn: (a: Act) => unknown): number {
  let sink = 0
  const run = (n: number): number => {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) if (fn(acts[i & 15] as Act) === true) sink++
    return Number(process.hrtime.bigint() - t0)
  }
  run(2000)
  let n = 1000
  while (run(n) < (targetMs / 5) * 1e6 && n < 1e8) n *= 2
  const samples = Array.from({ length: 5 }, () => run(n) / n).sort((x, y) => x - y)
  if (sink < 0) console.log(sink)
  return samples[2] as number
}

const env = new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: true })
const fmt = (ns: number | undefined): string => (ns === undefined ? 'n/a' : ns.toFixed(0)).padStart(10)
const rows: string[] = []
const ratios: number[] = []
console.log(
  `${'expression'.padEnd(34)}${'palisade'.padStart(10)}${'cel-js'.padStart(10)}${'hand JS'.padStart(10)}   palisade/hand  cel-js/palisade   (ns per evaluation)`,
)
for (const c of CASES) {
  const compiled = compileCel(c.expr, { variables: ['object', 'params'] })
  if (!compiled.ok) throw new Error(`${c.name}: ${compiled.error.message}`)
  const program = compiled.program
  let celjs: ((a: Act) => unknown) | undefined
  if (!c.k8s) {
    const parsed = env.parse(c.expr)
    celjs = (a) => parsed(a)
  }
  for (const a of acts) {
    const expected = c.hand(a)
    const ours = program(a)
    if (ours !== expected) throw new Error(`${c.name}: palisade gave ${String(ours)}, hand-written ${String(expected)}`)
    if (celjs !== undefined && celjs(a) !== expected) {
      console.warn(`${c.name}: cel-js gave ${String(celjs(a))}; not timed`)
      celjs = undefined
    }
  }
  const tOurs = measure(program)
  const tTheirs = celjs ? measure(celjs) : undefined
  const tHand = measure(c.hand)
  ratios.push(tOurs / tHand)
  const line = `${c.name.padEnd(34)}${fmt(tOurs)}${fmt(tTheirs)}${fmt(tHand)}   ${(tOurs / tHand).toFixed(2).padStart(12)}x  ${tTheirs === undefined ? '        n/a' : `${(tTheirs / tOurs).toFixed(1).padStart(14)}x`}`
  rows.push(line)
  console.log(line)
}
const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length)
console.log(
  `geometric mean palisade/hand-written: ${geo.toFixed(2)}x over ${ratios.length} expressions (node ${process.version})`,
)
