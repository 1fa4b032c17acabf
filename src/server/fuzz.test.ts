import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privilegedPod, review, startTestServer } from './test-server.test-support.js'

let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

/** Send a body and check the answer is well formed: 200 with an AdmissionReview for that uid, or a 4xx with an error message. */
async function wellFormed(path: string, body: Uint8Array | string): Promise<void> {
  const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const text = await res.text()
  const json = JSON.parse(text) as { error?: string; response?: { uid: unknown; allowed: unknown; warnings?: unknown } }
  if (res.status === 200) {
    expect(typeof json.response?.uid).toBe('string')
    expect(typeof json.response?.allowed).toBe('boolean')
    if (json.response?.warnings !== undefined) expect(Array.isArray(json.response.warnings)).toBe(true)
  } else {
    expect([400, 413]).toContain(res.status)
    expect(typeof json.error).toBe('string')
  }
}

const paths = fc.constantFrom('/validate', '/mutate', '/validate/production', '/mutate/staging')
const podLike = fc.record(
  {
    apiVersion: fc.oneof(fc.constant('v1'), fc.constant('apps/v1'), fc.anything()),
    kind: fc.oneof(fc.constantFrom('Pod', 'Deployment', 'ConfigMap', 'Widget', 'CronJob'), fc.anything()),
    metadata: fc.oneof(
      fc.record({ name: fc.string(), namespace: fc.constantFrom('prod-a', 'staging-b', 'audit-c', '') }),
      fc.anything(),
    ),
    spec: fc.oneof(
      fc.record(
        {
          containers: fc.array(
            fc.record(
              { name: fc.string(), image: fc.oneof(fc.string(), fc.anything()), securityContext: fc.anything() },
              { requiredKeys: [] },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
)

describe('the request path never throws and always answers well-formed (fast-check)', () => {
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(paths, fc.uint8Array({ maxLength: 2048 }), (path, bytes) => wellFormed(path, bytes)),
      { numRuns: 150 },
    )
  })

  it('random JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(paths, fc.jsonValue({ maxDepth: 6 }), (path, value) => wellFormed(path, JSON.stringify(value))),
      { numRuns: 150 },
    )
  })

  it('AdmissionReview shapes with random requests and objects', async () => {
    const request = fc.record(
      {
        uid: fc.oneof(fc.uuid(), fc.string(), fc.anything()),
        kind: fc.oneof(fc.record({ group: fc.string(), version: fc.string(), kind: fc.string() }), fc.anything()),
        operation: fc.oneof(fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT'), fc.anything()),
        namespace: fc.oneof(fc.constantFrom('prod-a', 'staging-b'), fc.anything()),
        object: fc.oneof(podLike, fc.constant(privilegedPod('prod-a')), fc.constant(null), fc.anything()),
        oldObject: fc.oneof(podLike, fc.constant(null), fc.anything()),
        dryRun: fc.oneof(fc.boolean(), fc.anything()),
        userInfo: fc.anything(),
      },
      { requiredKeys: [] },
    )
    const envelope = fc.record(
      {
        apiVersion: fc.oneof(fc.constant('admission.k8s.io/v1'), fc.string()),
        kind: fc.oneof(fc.constant('AdmissionReview'), fc.string()),
        request,
      },
      { requiredKeys: ['request'] },
    )
    await fc.assert(
      fc.asyncProperty(paths, envelope, (path, body) => wellFormed(path, JSON.stringify(body))),
      { numRuns: 300 },
    )
  })

  it('well-formed reviews of mutated pods always give a decision for their uid', async () => {
    await fc.assert(
      fc.asyncProperty(paths, podLike, async (path, object) => {
        const body = review({ ...object, apiVersion: 'v1', kind: 'Pod' } as Record<string, unknown>)
        const res = await fetch(server.url + path, { method: 'POST', body: JSON.stringify(body) })
        expect(res.status).toBe(200)
        const json = (await res.json()) as { response: { uid: string; allowed: boolean } }
        expect(json.response.uid).toBe((body.request as { uid: string }).uid)
      }),
      { numRuns: 200 },
    )
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })
})
