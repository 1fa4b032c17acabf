/**
 * The admission webhook end to end: the built CLI's `palisade serve` with certificates
 * from `palisade certs`, AdmissionReviews shaped as kube-apiserver sends them (no API
 * server can run here), over real TLS trusting only the generated CA. Findings must equal
 * `palisade scan --format json` of the same manifests in the same environment.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compilePolicySet } from '../../src/engine/index.js'
import { BUILTIN_POLICIES } from '../../src/policies/index.js'
import { runCli } from './run-cli.js'
import { decisionLog, postJson, startServe, type ServeProcess } from './webhook-process.js'

const CONFIG = `environments:
  - name: production
    namespaces: [prod-*]
  - name: staging
    namespaces: [staging-*]
    actions: { default: warn }
  - name: sandbox
    namespaces: [sandbox-*]
    actions: { default: audit }
`
/** Policies that need every object of a run (default-deny per namespace, ...): a webhook sees one object, so they are scan-only. */
const CROSS_RESOURCE = new Set(compilePolicySet(BUILTIN_POLICIES).set.crossResource.map((p) => p.meta.id))

const pod = (namespace: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace, labels: { app: 'web' } },
  spec: {
    hostPID: true,
    containers: [
      {
        name: 'app',
        image: 'nginx:latest',
        securityContext: { privileged: true },
        env: [{ name: 'API_TOKEN', value: 'ghp_4f8e2b1c7a4d4e9b8c2f1d5a6b7c8e9f0a1b' }],
      },
      {
        name: 'sidecar',
        image: 'registry.example.com/proxy:1.4.2',
        resources: { limits: { cpu: '200m', memory: '64Mi' } },
      },
    ],
  },
})
const deployment = (namespace: string, replicas = 2, image = 'registry.example.com/shop/api:3.1.0') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        containers: [
          { name: 'api', image, ports: [{ containerPort: 8080, hostPort: 8080 }], securityContext: { runAsUser: 0 } },
        ],
      },
    },
  },
})

let uidCounter = 0
/** An AdmissionReview as kube-apiserver sends it for `object` (fields as in admission.k8s.io/v1). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function admissionReview(object: Record<string, any> | null, operation: string, extra: Record<string, unknown> = {}) {
  const target = object ?? (extra.oldObject as Record<string, any>) // eslint-disable-line @typescript-eslint/no-explicit-any
  const [group, version] = String(target.apiVersion).includes('/')
    ? String(target.apiVersion).split('/')
    : ['', String(target.apiVersion)]
  const resource = `${String(target.kind).toLowerCase()}s`
  const options = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' }[operation]
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: `0b7a6c1e-2f3d-4c5b-8a9e-${String(++uidCounter).padStart(12, '0')}`,
      kind: { group, version, kind: target.kind },
      resource: { group, version, resource },
      requestKind: { group, version, kind: target.kind },
      requestResource: { group, version, resource },
      name: target.metadata.name,
      namespace: target.metadata.namespace,
      operation,
      userInfo: { username: 'jane@example.com', groups: ['developers', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: options },
      ...extra,
    },
  }
}

let dir: string
let ca: Buffer
let serve: ServeProcess
let logFile: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-webhook-e2e-'))
  const certs = runCli(['certs', '--out', join(dir, 'certs'), '--dns', 'palisade-webhook.palisade-system.svc'])
  expect(certs.code, certs.stderr).toBe(0)
  ca = readFileSync(join(dir, 'certs/ca.crt'))
  writeFileSync(join(dir, 'palisade.yaml'), CONFIG)
  logFile = join(dir, 'decisions.jsonl')
  serve = await startServe(
    [
      '--tls-cert',
      'certs/tls.crt',
      '--tls-key',
      'certs/tls.key',
      '--config',
      'palisade.yaml',
      '--decision-log',
      logFile,
    ],
    dir,
  )
})
afterAll(async () => {
  serve?.child.kill('SIGTERM')
  expect(await serve?.exited).toBe(0)
})

/** Findings of `palisade scan --format json` for one manifest in one environment, as `policy path action`, minus cross-resource policies. */
function scanFindings(object: Record<string, unknown>, env: string): string[] {
  const file = join(dir, `manifest-${++uidCounter}.yaml`)
  writeFileSync(file, JSON.stringify(object, null, 2))
  const run = runCli([
    'scan',
    file,
    '--format',
    'json',
    '--config',
    join(dir, 'palisade.yaml'),
    '--env',
    env,
    '--no-render',
  ])
  expect([0, 1]).toContain(run.code)
  const out = JSON.parse(run.stdout) as { findings: { policy: string; path: string; action: string }[] }
  return out.findings
    .filter((f) => !CROSS_RESOURCE.has(f.policy))
    .map((f) => `${f.policy} ${f.path} ${f.action}`)
    .sort()
}

/** The decision log entry of a request, waiting for the write stream to reach the file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function decisionOf(uid: string): Promise<Record<string, any>> {
  for (;;) {
    const entry = decisionLog(logFile).find((d) => d.uid === uid)
    if (entry) return entry
    await new Promise((r) => setTimeout(r, 20))
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const findingsOf = (entry: Record<string, any>): string[] =>
  (entry.findings as { policy: string; path: string; action: string }[])
    .map((f) => `${f.policy} ${f.path} ${f.action}`)
    .sort()

describe('palisade serve over HTTPS (AdmissionReviews shaped as kube-apiserver sends them)', () => {
  for (const [namespace, env, verdict] of [
    ['prod-shop', 'production', 'deny'],
    ['staging-shop', 'staging', 'warn'],
    ['sandbox-shop', 'sandbox', 'audit'],
  ] as const) {
    it(`gives the findings of palisade scan for a Pod and a Deployment in ${env} (${verdict})`, async () => {
      for (const object of [pod(namespace), deployment(namespace)]) {
        const review = admissionReview(object, 'CREATE')
        const reply = await postJson(serve.port, '/validate?timeout=10s', review, ca)
        expect(reply.status).toBe(200)
        const response = reply.json.response as {
          uid: string
          allowed: boolean
          status?: { message: string }
          warnings?: string[]
        }
        expect(response.uid).toBe(review.request.uid)
        const entry = await decisionOf(review.request.uid)
        expect(entry.environment).toBe(env)
        const expected = scanFindings(object, env)
        expect(expected.length).toBeGreaterThan(3)
        if (object.kind === 'Pod')
          expect(expected).toContain(`disallow-hardcoded-credentials /spec/containers/0/env/0/value ${verdict}`)
        expect(findingsOf(entry)).toEqual(expected)
        if (verdict === 'deny') {
          expect(response.allowed).toBe(false)
          expect(response.status?.message).toMatch(/^Palisade denied /)
          expect(response.status?.message).toMatch(/disallow-[a-z-]+ at \/spec\//)
        } else {
          expect(response.allowed).toBe(true)
        }
        if (verdict === 'warn') expect(response.warnings?.length).toBeGreaterThan(0)
        else expect(response.warnings).toBeUndefined()
      }
    })
  }

  it('takes the environment from the webhook path (/validate/<env>, as install --print registers it)', async () => {
    const review = admissionReview(pod('team-x'), 'CREATE')
    const reply = await postJson(serve.port, '/validate/staging', review, ca)
    expect((reply.json.response as { allowed: boolean }).allowed).toBe(true)
    const entry = await decisionOf(review.request.uid)
    expect(entry.environment).toBe('staging')
    expect(findingsOf(entry)).toEqual(scanFindings(pod('team-x'), 'staging'))
  })

  it('evaluates UPDATE with oldObject, records dryRun as not enforced, and allows DELETE', async () => {
    const update = admissionReview(deployment('prod-shop', 3, 'registry.example.com/shop/api:3.2.0'), 'UPDATE', {
      oldObject: deployment('prod-shop'),
    })
    const updated = await postJson(serve.port, '/validate', update, ca)
    expect((updated.json.response as { allowed: boolean }).allowed).toBe(false)
    expect(findingsOf(await decisionOf(update.request.uid))).toEqual(
      scanFindings(deployment('prod-shop', 3, 'registry.example.com/shop/api:3.2.0'), 'production'),
    )

    const dry = admissionReview(pod('prod-shop'), 'CREATE', { dryRun: true })
    const dryReply = await postJson(serve.port, '/validate', dry, ca)
    expect((dryReply.json.response as { allowed: boolean }).allowed).toBe(false)
    expect(await decisionOf(dry.request.uid)).toMatchObject({ dryRun: true, enforced: false })

    const del = admissionReview(null, 'DELETE', { oldObject: pod('prod-shop') })
    const deleted = await postJson(serve.port, '/validate', del, ca)
    expect(deleted.json.response).toEqual({ uid: del.request.uid, allowed: true })
  })

  it('answers /mutate with a base64 JSONPatch of safe fixes only', async () => {
    const review = admissionReview(deployment('prod-shop'), 'CREATE')
    const reply = await postJson(serve.port, '/mutate', review, ca)
    const response = reply.json.response as { allowed: boolean; patchType: string; patch: string }
    expect(response.allowed).toBe(true)
    expect(response.patchType).toBe('JSONPatch')
    const ops = JSON.parse(Buffer.from(response.patch, 'base64').toString()) as { op: string; path: string }[]
    expect(ops.map((o) => o.path)).toEqual(expect.arrayContaining(['/spec/template/spec/containers/0/imagePullPolicy']))
  })

  it('rejects bad requests with clear 4xx answers and keeps serving', async () => {
    expect((await postJson(serve.port, '/validate', '{"kind":', ca)).status).toBe(400)
    expect((await postJson(serve.port, '/validate', { apiVersion: 'v1', kind: 'Pod' }, ca)).status).toBe(400)
    const big = await postJson(
      serve.port,
      '/validate',
      JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024 + 10) }),
      ca,
    ).catch((e: Error) => e)
    if (!(big instanceof Error)) expect(big.status).toBe(413)
    const health = await postJson(serve.port, '/validate', admissionReview(pod('prod-a'), 'CREATE'), ca)
    expect(health.status).toBe(200)
  })

  it('refuses clients that do not trust the generated CA (real TLS)', async () => {
    await expect(
      postJson(serve.port, '/validate', admissionReview(pod('prod-a'), 'CREATE'), Buffer.from('')),
    ).rejects.toThrow(/certificate/i)
  })
})
