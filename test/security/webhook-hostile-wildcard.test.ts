/**
 * Hole: in `palisade serve`, one AdmissionReview whose Pod carries a `*?*?…!` annotation,
 * checked by a Kyverno allow-list policy (AnyNotIn over the request's value), blocked the
 * event loop: no request was answered any more, /healthz included, and SIGTERM was not
 * handled. A real `palisade serve` (the built CLI, real TLS) must answer the hostile request
 * (a denial: the value is not an allowed tier), answer /healthz meanwhile, and stop on SIGTERM.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../e2e/run-cli.js'
import { getText, podReview, postJson, startServe, type ServeProcess } from '../e2e/webhook-process.js'
import {
  ALLOW_LIST_POLICY,
  ALLOWED_TIER,
  HOSTILE_WILDCARD,
  podWithTier,
  tempDir,
  writeFiles,
} from './hostile-fixtures.js'

let serve: ServeProcess | undefined
let ca: Buffer
let remove: () => void

beforeAll(async () => {
  const temp = tempDir('palisade-webhook-hostile-')
  remove = temp.remove
  const certs = runCli(['certs', '--out', join(temp.dir, 'certs'), '--dns', 'palisade-webhook.palisade-system.svc'])
  expect(certs.code, certs.stderr).toBe(0)
  ca = readFileSync(join(temp.dir, 'certs/ca.crt'))
  writeFiles(temp.dir, { 'policies/allowed-tiers.yaml': ALLOW_LIST_POLICY })
  serve = await startServe(
    [
      '--tls-cert',
      'certs/tls.crt',
      '--tls-key',
      'certs/tls.key',
      '--policy-dir',
      'policies',
      '--policies',
      'pss-baseline',
      '--no-watch',
    ],
    temp.dir,
  )
})

afterAll(async () => {
  if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
    serve.child.kill('SIGTERM')
    // A process stuck in a synchronous loop never handles SIGTERM: kill it so no stray process is left.
    const stuck = setTimeout(() => serve?.child.kill('SIGKILL'), 5_000)
    await serve.exited
    clearTimeout(stuck)
  }
  remove()
})

/** `promise`, or a rejection naming `what` when it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    )
  })
}

let uid = 0
const review = (object: Record<string, unknown>) =>
  podReview(`5f0c2b1e-7a3d-4c5b-8a9e-${String(++uid).padStart(12, '0')}`, object, {
    username: 'jane@example.com',
    groups: ['system:authenticated'],
  })

describe('palisade serve given a Pod whose annotation is an exponential-backtracking wildcard', () => {
  it('answers the hostile request with a denial and keeps answering /healthz and other requests', async () => {
    const port = (serve as ServeProcess).port
    const hostile = postJson(port, '/validate?timeout=10s', review(podWithTier(HOSTILE_WILDCARD, 'hostile')), ca)
    const health = await within(
      getText(port, '/healthz', ca),
      10_000,
      '/healthz while the hostile request is in flight',
    )
    expect(health).toMatch(/ok/i)
    const reply = await within(hostile, 20_000, 'the hostile AdmissionReview')
    expect(reply.status).toBe(200)
    const response = reply.json.response as { allowed: boolean; status?: { message?: string } }
    expect(response.allowed).toBe(false)
    expect(response.status?.message).toContain('allowed-tiers')
    const good = await within(
      postJson(port, '/validate?timeout=10s', review(podWithTier(ALLOWED_TIER, 'good')), ca),
      10_000,
      'a benign AdmissionReview',
    )
    expect((good.json.response as { allowed: boolean }).allowed).toBe(true)
  })

  it('stops on SIGTERM afterwards', async () => {
    const running = serve as ServeProcess
    running.child.kill('SIGTERM')
    expect(await within(running.exited, 10_000, 'exit after SIGTERM')).toBe(0)
    serve = undefined
  })
})
