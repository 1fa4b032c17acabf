import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { podReview, startServe } from './webhook-process.js'

/**
 * A registry that accepts connections and never answers: at admission, the signature
 * lookup ends within the request's time and the failure policy answers, well before the
 * API server's webhook timeout.
 */
describe('webhook image rules with an unreachable registry', () => {
  let dir: string
  let blackHole: Server
  let host: string
  const sockets: Socket[] = []

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'palisade-blackhole-'))
    blackHole = createServer((socket) => sockets.push(socket)) // read nothing, answer nothing
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve))
    host = `127.0.0.1:${(blackHole.address() as { port: number }).port}`
    mkdirSync(path.join(dir, 'keys'))
    writeFileSync(
      path.join(dir, 'keys/cosign.pub'),
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
    )
    writeFileSync(
      path.join(dir, 'palisade.yaml'),
      `images:\n  - match: ["${host}/**"]\n    signatures: { keys: [keys/cosign.pub] }\n`,
    )
  })
  afterAll(() => {
    for (const s of sockets) s.destroy()
    blackHole?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const review = () => {
    const object = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { containers: [{ name: 'app', image: `${host}/shop/app@sha256:${'1'.repeat(64)}` }] },
    }
    return podReview('uid-1', object, { username: 'ci' })
  }
  const ask = async (failurePolicy: 'allow' | 'deny') => {
    const serve = await startServe(
      [
        '--insecure-http',
        '--no-watch',
        '--policies',
        'verify-image-signatures',
        '--registry',
        host,
        '--request-timeout',
        '1000',
        '--failure-policy',
        failurePolicy,
        '--image-cache',
        path.join(dir, `cache-${failurePolicy}`),
      ],
      dir,
    )
    try {
      const started = performance.now()
      const res = await fetch(`http://127.0.0.1:${serve.port}/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(review()),
      })
      const body = (await res.json()) as {
        response: { allowed: boolean; status?: { message?: string }; warnings?: string[] }
      }
      return { ms: performance.now() - started, response: body.response }
    } finally {
      serve.child.kill()
      await serve.exited
    }
  }

  it('denies within the request timeout under --failure-policy deny, naming the registry', async () => {
    const { ms, response } = await ask('deny')
    expect(response.allowed).toBe(false)
    expect(response.status?.message).toContain('verify-image-signatures')
    expect(ms).toBeLessThan(5000) // the API server's timeoutSeconds that palisade install sets
  })

  it('admits with a warning under --failure-policy allow', async () => {
    const { ms, response } = await ask('allow')
    expect(response.allowed).toBe(true)
    expect(response.warnings?.join(' ')).toContain('verify-image-signatures')
    expect(ms).toBeLessThan(5000)
  })
})
