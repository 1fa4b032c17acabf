/**
 * Hole: a 400 repeated request fields back whole (a 70 KB `kind` came back in the error),
 * and malformed JSON was answered with V8's excerpt of the body, which can be a credential.
 * Echoed input is now short and never a credential-like string.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson } from '../e2e/webhook-process.js'
import { serveTls, type Served } from './serve-fixture.js'

let served: Served
beforeAll(async () => {
  served = await serveTls()
})
afterAll(() => served.stop())

const TOKEN = 'ghp_4f8e2b1c7a4d4e9b8c2f1d5a6b7c8e9f0a1b'

describe('a 400 does not echo the request', () => {
  it('describes a 70 KB field instead of repeating it', async () => {
    const reply = await postJson(
      served.port,
      '/validate',
      { apiVersion: 'admission.k8s.io/v1', kind: 'K'.repeat(70_000), request: {} },
      served.ca,
    )
    expect(reply.status).toBe(400)
    expect(reply.body.length).toBeLessThan(512)
    expect(String(reply.json.error)).toContain('a string of 70000 characters')
  })

  it('does not repeat a credential-like field value', async () => {
    const reply = await postJson(
      served.port,
      '/validate',
      { apiVersion: TOKEN, kind: 'AdmissionReview', request: {} },
      served.ca,
    )
    expect(reply.status).toBe(400)
    expect(reply.body).not.toContain(TOKEN.slice(0, 8))
  })

  it('does not repeat the body of malformed JSON', async () => {
    const reply = await postJson(served.port, '/validate', `${TOKEN} trailing`, served.ca)
    expect(reply.status).toBe(400)
    expect(String(reply.json.error)).toMatch(/^malformed JSON: /)
    expect(reply.body).not.toContain(TOKEN.slice(0, 6))
  })

  it('does not repeat a long unknown path', async () => {
    const reply = await postJson(served.port, `/${'p'.repeat(5000)}`, {}, served.ca)
    expect(reply.status).toBe(404)
    expect(reply.body.length).toBeLessThan(512)
  })
})

describe('a 400 still names a wrong short value', () => {
  it('quotes a plain kind', async () => {
    const reply = await postJson(
      served.port,
      '/validate',
      { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReviw', request: {} },
      served.ca,
    )
    expect(reply.json.error).toBe(
      'not an AdmissionReview v1 request: kind is "AdmissionReviw", expected "AdmissionReview"',
    )
  })

  it.each(['AKIAIOSFODNN7EXAMPLE', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'])(
    'does not quote %s',
    async (value) => {
      const reply = await postJson(
        served.port,
        '/validate',
        { apiVersion: 'admission.k8s.io/v1', kind: value, request: {} },
        served.ca,
      )
      expect(reply.status).toBe(400)
      expect(reply.body).not.toContain(value.slice(0, 10))
    },
  )
})
