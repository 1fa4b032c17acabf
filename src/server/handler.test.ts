import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_JSON_DEPTH } from './index.js'
import { privilegedPod, review, startTestServer } from './test-server.test-support.js'

// Responses are checked field by field; `Json` keeps the accesses short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>
type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

async function post(path: string, body: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as Json }
}

describe('/validate', () => {
  it('denies in a production namespace, naming policy and field, with the same uid', async () => {
    const { status, json } = await post('/validate?timeout=10s', review(privilegedPod('prod-shop')))
    expect(status).toBe(200)
    expect(json.apiVersion).toBe('admission.k8s.io/v1')
    expect(json.kind).toBe('AdmissionReview')
    expect(json.response.uid).toBe('b3c1f0a2-5d1e-4c4f-9c6d-1f2e3d4c5b6a')
    expect(json.response.allowed).toBe(false)
    expect(json.response.status.code).toBe(403)
    expect(json.response.status.message).toContain(
      'disallow-privileged-containers at /spec/containers/0/securityContext/privileged',
    )
    const record = server.decisions.at(-1)
    expect(record).toMatchObject({
      environment: 'production',
      enforced: true,
      dryRun: false,
      allowed: false,
      namespace: 'prod-shop',
    })
  })

  it('lists denying findings worst first, then by policy', async () => {
    const { json } = await post('/validate', review(privilegedPod('prod-shop')))
    const message = json.response.status.message as string
    const reasons = message
      .slice(message.indexOf(': ') + 2)
      .split('; ')
      .filter((r) => !r.startsWith('and '))
    expect(reasons[0]).toMatch(/^disallow-privileged-containers at /)
    const record = server.decisions.at(-1)
    const severity = new Map<string, string>(record?.findings.map((f) => [f.policy, f.severity]))
    const ranks = reasons.map((r) =>
      ['info', 'low', 'medium', 'high', 'critical'].indexOf(severity.get(r.slice(0, r.indexOf(' at '))) ?? ''),
    )
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a))
    expect(ranks.every((r) => r >= 0)).toBe(true)
  })

  it('answers 404 for an environment the configuration does not define', async () => {
    const { status, json } = await post('/validate/prodcution', review(privilegedPod('prod-shop')))
    expect(status).toBe(404)
    expect(json.error).toBe(
      'unknown environment "prodcution" in /validate/<environment>; the configuration defines production, staging, audit',
    )
    expect((await post('/mutate/nowhere', review(privilegedPod('prod-shop')))).status).toBe(404)
  })

  it('takes the environment from the path before the namespace', async () => {
    const { json } = await post('/validate/staging', review(privilegedPod('prod-shop')))
    expect(json.response.allowed).toBe(true)
    expect(
      json.response.warnings.some((w: string) =>
        w.startsWith('[disallow-privileged-containers] /spec/containers/0/securityContext/privileged'),
      ),
    ).toBe(true)
    expect(server.decisions.at(-1)?.environment).toBe('staging')
  })

  it('warns until a scheduled date in production (warn-first), then denies', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'prod-a' },
      spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] },
    }
    const { json } = await post('/validate', review(pod))
    expect(json.response.warnings.some((w: string) => w.startsWith('[require-run-as-non-root]'))).toBe(true)
    expect(server.decisions.at(-1)?.findings.find((f) => f.policy === 'require-run-as-non-root')?.action).toBe('warn')
    const later = await startTestServer({ clock: () => Date.parse('2099-01-02T00:00:00Z') })
    const res = await fetch(`${later.url}/validate`, { method: 'POST', body: JSON.stringify(review(pod)) })
    const body = (await res.json()) as Json
    expect(later.decisions.at(-1)?.findings.find((f) => f.policy === 'require-run-as-non-root')?.action).toBe('deny')
    expect(body.response.allowed).toBe(false)
    await later.close()
  })

  it('allows and records audit findings', async () => {
    const { json } = await post('/validate', review(privilegedPod('audit-x')))
    expect(json.response.allowed).toBe(true)
    expect(json.response.status).toBeUndefined()
    // The one warning is the global warn-until schedule of require-run-as-non-root, which beats the environment default.
    expect(json.response.warnings).toEqual([expect.stringMatching(/^\[require-run-as-non-root\]/)])
    const record = server.decisions.at(-1)
    expect(record?.environment).toBe('audit')
    expect(record?.findings.length).toBeGreaterThan(3)
    expect(
      record?.findings.filter((f) => f.policy !== 'require-run-as-non-root').every((f) => f.action === 'audit'),
    ).toBe(true)
  })

  it('evaluates dryRun requests but records them as not enforced', async () => {
    const { json } = await post('/validate', review(privilegedPod('prod-shop'), { dryRun: true }))
    expect(json.response.allowed).toBe(false)
    expect(server.decisions.at(-1)).toMatchObject({ dryRun: true, enforced: false })
    expect(await server.metrics.registry.getSingleMetricAsString('palisade_admission_decisions_total')).toMatch(
      /policy="disallow-privileged-containers",action="deny",dry_run="true"} 1/,
    )
  })

  it('gives UPDATE policies the oldObject', async () => {
    const cm = (team: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'prod-a', labels: { team } },
      data: {},
    })
    const same = await post('/validate', review(cm('a'), { operation: 'UPDATE', oldObject: cm('a') }))
    expect(same.json.response.allowed).toBe(true)
    const changed = await post('/validate', review(cm('b'), { operation: 'UPDATE', oldObject: cm('a') }))
    expect(changed.json.response.allowed).toBe(false)
    expect(changed.json.response.status.message).toContain('restrict-team-label-change at /metadata/labels/team')
  })

  it('allows DELETE and CONNECT without evaluating', async () => {
    for (const operation of ['DELETE', 'CONNECT']) {
      const { json } = await post('/validate', review(null, { operation, oldObject: privilegedPod('prod-a') }))
      expect(json.response).toEqual({ uid: expect.any(String), allowed: true })
    }
  })

  it('allows kinds no policy matches', async () => {
    const { json } = await post(
      '/validate',
      review({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace: 'prod-a' },
        spec: { size: 3 },
      }),
    )
    expect(json.response).toEqual({ uid: expect.any(String), allowed: true })
  })

  it('keeps warnings short, few and deduplicated', async () => {
    const containers = Array.from({ length: 30 }, (_, i) => ({
      name: `c${i}`,
      image: 'registry.example.com/app:1',
      securityContext: { privileged: true },
    }))
    const { json } = await post(
      '/validate/staging',
      review({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'many', namespace: 'x' }, spec: { containers } }),
    )
    const warnings = json.response.warnings as string[]
    expect(warnings.length).toBeLessThanOrEqual(10)
    expect(new Set(warnings).size).toBe(warnings.length)
    for (const w of warnings) expect(w.length).toBeLessThanOrEqual(120)
    expect(Buffer.byteLength(warnings.join(''))).toBeLessThanOrEqual(4096)
    expect(warnings.at(-1)).toMatch(/more warnings not shown/)
  })
})

describe('the failure policy (a policy that cannot evaluate)', () => {
  const boom = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'b', namespace: 'staging-a', labels: { boom: 'true' } },
    data: {},
  }

  it('deny: rejects the object, naming the policy, even where its action is only warn', async () => {
    const { json } = await post('/validate', review(boom))
    expect(json.response.allowed).toBe(false)
    expect(json.response.status.message).toContain('restrict-boom')
    expect(await server.metrics.registry.getSingleMetricAsString('palisade_evaluation_errors_total')).toMatch(
      /policy="restrict-boom"} 1/,
    )
  })

  it('allow: admits it with a warning and counts the error', async () => {
    const lenient = await startTestServer({ failurePolicy: 'allow' })
    const res = await fetch(`${lenient.url}/validate`, {
      method: 'POST',
      body: JSON.stringify(review({ ...boom, metadata: { ...boom.metadata, namespace: 'prod-a' } })),
    })
    const body = (await res.json()) as Json
    expect(body.response.allowed).toBe(true)
    expect(body.response.warnings).toEqual([expect.stringMatching(/^palisade could not evaluate \[restrict-boom\]/)])
    expect(await lenient.metrics.registry.getSingleMetricAsString('palisade_evaluation_errors_total')).toMatch(
      /policy="restrict-boom"} 1/,
    )
    await lenient.close()
  })
})

describe('/mutate', () => {
  it('returns only safe fixes as a base64 JSONPatch that applies', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'm', namespace: 'prod-a' },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    }
    const { json } = await post('/mutate', review(pod))
    expect(json.response.allowed).toBe(true)
    expect(json.response.patchType).toBe('JSONPatch')
    const patch = JSON.parse(Buffer.from(json.response.patch, 'base64').toString()) as {
      op: string
      path: string
      value: unknown
    }[]
    expect(patch).toEqual([
      { op: 'add', path: '/spec/containers/0/securityContext', value: { allowPrivilegeEscalation: false } },
      { op: 'replace', path: '/spec/containers/0/image', value: 'docker.io/library/nginx:1.27' },
      { op: 'add', path: '/spec/containers/0/imagePullPolicy', value: 'Always' },
    ])
    // Unsafe fixes (runAsNonRoot may break an image) are never applied.
    expect(JSON.stringify(patch)).not.toContain('runAsNonRoot')
  })

  it('patches nothing in an audit environment', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'm', namespace: 'audit-a' },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    }
    const { json } = await post('/mutate', review(pod))
    expect(json.response).toEqual({ uid: expect.any(String), allowed: true })
  })
})

describe('hard to break', () => {
  it('answers malformed JSON, a wrong apiVersion or kind, and a missing request with 400 and a reason', async () => {
    expect(await post('/validate', '{"apiVersion":')).toEqual({
      status: 400,
      json: { error: expect.stringMatching(/^malformed JSON/) },
    })
    expect(
      (await post('/validate', { ...review(privilegedPod('a')), apiVersion: 'admission.k8s.io/v1beta1' })).json.error,
    ).toMatch(/apiVersion is "admission.k8s.io\/v1beta1"/)
    expect((await post('/validate', { ...review(privilegedPod('a')), kind: 'Pod' })).json.error).toMatch(
      /kind is "Pod"/,
    )
    expect((await post('/validate', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' })).status).toBe(400)
    expect((await post('/validate', review(null))).json.error).toMatch(/object is required for CREATE/)
  })

  it('rejects bodies over 3 MiB with 413, by header and while streaming', async () => {
    const big = JSON.stringify(
      review({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'big' },
        data: { blob: 'x'.repeat(3 * 1024 * 1024) },
      }),
    )
    expect((await post('/validate', big)).status).toBe(413)
    // Chunked, no content-length: the limit is enforced as bytes arrive.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(100 * 1024).fill(0x20))
        controller.close()
      },
    })
    const res = await fetch(`${server.url}/validate`, {
      method: 'POST',
      body: chunks,
      duplex: 'half',
    } as RequestInit).catch((e: unknown) => e)
    if (res instanceof Response) expect(res.status).toBe(413)
    else expect(String((res as Error).cause ?? res)).toMatch(/reset|closed|socket|terminated/i) // the server may close before the client finishes sending
  })

  it('survives deeply nested objects: 400 above the depth limit, evaluated below it', async () => {
    const nest = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    const deep = `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"","version":"v1","kind":"ConfigMap"},"operation":"CREATE","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d","namespace":"prod-a"},"data":{},"x":${nest(10_000)}}}}`
    const res = await post('/validate', deep)
    expect(res.status).toBe(400)
    expect(res.json.error).toMatch(/deeper than/)
    const ok = deep.replace(nest(10_000), nest(MAX_JSON_DEPTH - 10))
    expect((await post('/validate', ok)).json.response.allowed).toBe(true)
  })

  it('routes: 404 for unknown paths, 405 for GET on /validate', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404)
    expect((await fetch(`${server.url}/validate`)).status).toBe(405)
    expect((await fetch(`${server.url}/validate/a/b`, { method: 'POST', body: '{}' })).status).toBe(404)
  })

  it('is ready only with a generation and while accepting; healthz stays up', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    server.setGeneration(undefined)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503)
    expect((await post('/validate', review(privilegedPod('a')))).status).toBe(503)
    server.setGeneration((await import('./test-server.test-support.js')).testGeneration(2))
    server.setAccepting(false)
    const notReady = await fetch(`${server.url}/readyz`)
    expect(notReady.status).toBe(503)
    expect(notReady.headers.get('connection')).toBe('close')
    server.setAccepting(true)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('exposes Prometheus metrics: requests, latency, decisions', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text()
    expect(text).toMatch(/palisade_admission_requests_total\{path="\/validate",code="200"\} \d+/)
    expect(text).toMatch(/palisade_admission_request_duration_seconds_bucket\{le="0.005",path="\/validate"\}/)
    expect(text).toMatch(
      /palisade_admission_decisions_total\{policy="disallow-privileged-containers",action="deny",dry_run="false"\}/,
    )
    expect(text).toMatch(/palisade_admission_requests_total\{path="\/validate",code="413"\}/)
  })
})

describe('slow clients', () => {
  it('cuts a client that sends headers too slowly (slow-loris)', async () => {
    const slow = await startTestServer({
      configure: (s) => {
        s.headersTimeout = 300
        s.requestTimeout = 600
      },
    })
    const closed = await new Promise<string>((resolve) => {
      const socket = connect(slow.port, '127.0.0.1', () => {
        socket.write('POST /validate HTTP/1.1\r\nHost: x\r\n')
        const drip = setInterval(() => socket.write('X-Drip: 1\r\n'), 100)
        let reply = ''
        socket.on('data', (d) => (reply += d.toString()))
        socket.on('close', () => {
          clearInterval(drip)
          resolve(reply)
        })
        socket.on('error', () => undefined)
      })
    })
    expect(closed).toMatch(/^HTTP\/1.1 408/)
    await slow.close()
  }, 20_000)
})
