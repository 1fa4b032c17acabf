/**
 * A restart under load loses no accepted request: `palisade serve` gets SIGTERM while
 * clients keep sending AdmissionReviews over keep-alive TLS connections. Every request
 * sent on a connection the server accepted (its TLS handshake completed) must get a full
 * 200 AdmissionReview with its own uid; connections attempted after the listener closed
 * are refused, which the API server retries on another replica.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { podCreateReview, startServe } from './webhook-process.js'

interface Outcome {
  uid: string
  accepted: boolean
  status?: number
  uidEchoed?: boolean
  error?: string
  afterSignal: boolean
  /** The response came in after SIGTERM was sent: the request was in flight (or sent) during the drain. */
  answeredAfterSignal?: boolean
}

describe('palisade serve graceful shutdown', () => {
  it('answers every request on an accepted connection while it shuts down under load', () => shutdownUnderLoad([]))
  it('does the same with two node:cluster workers (SIGTERM to the primary drains both)', () =>
    shutdownUnderLoad(['--workers', '2']))
})

async function shutdownUnderLoad(extra: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-webhook-shutdown-'))
  expect(runCli(['certs', '--out', dir]).code).toBe(0)
  const ca = readFileSync(join(dir, 'ca.crt'))
  const serve = await startServe(
    ['--tls-cert', 'tls.crt', '--tls-key', 'tls.key', '--shutdown-delay', '0', ...extra],
    dir,
  )
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca })
  const outcomes: Outcome[] = []
  let signalled = false
  let refused = 0
  let n = 0

  const send = (): Promise<boolean> =>
    new Promise((resolve) => {
      const uid = `c1a2b3d4-0000-4000-8000-${String(++n).padStart(12, '0')}`
      const body = JSON.stringify(
        podCreateReview(
          uid,
          { name: `p${n}`, namespace: 'default', containers: [{ name: 'c', image: 'nginx:1.27' }] },
          'load',
        ),
      )
      const outcome: Outcome = { uid, accepted: false, afterSignal: signalled }
      const req = request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port: serve.port,
          path: '/validate',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => {
            outcome.answeredAfterSignal = signalled
            outcome.status = res.statusCode ?? 0
            try {
              outcome.uidEchoed = (JSON.parse(text) as { response: { uid: string } }).response.uid === uid
            } catch (error) {
              outcome.error = `unparseable body: ${String(error)}`
            }
            outcomes.push(outcome)
            resolve(true)
          })
          res.on('error', (error) => {
            outcome.error = error.message
            outcomes.push(outcome)
            resolve(true)
          })
        },
      )
      req.on('socket', (socket: TLSSocket) => {
        // A reused keep-alive socket is already past its handshake; a new one is accepted once it completes.
        if (socket.authorized) outcome.accepted = true
        else socket.once('secureConnect', () => (outcome.accepted = true))
      })
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') {
          refused++
          return resolve(false) // never accepted: the listener was closed
        }
        outcome.error = `${error.code ?? ''} ${error.message}`
        outcomes.push(outcome)
        resolve(true)
      })
      req.end(body)
    })

  const worker = async (): Promise<void> => {
    while (await send());
  }
  const workers = Array.from({ length: 8 }, worker)
  // Let load build up, then signal while requests are in flight.
  while (outcomes.length < 200) await new Promise((r) => setTimeout(r, 10))
  signalled = true
  serve.child.kill('SIGTERM')
  await Promise.all(workers)
  agent.destroy()

  expect(await serve.exited).toBe(0)
  const accepted = outcomes.filter((o) => o.accepted)
  const lost = accepted.filter((o) => o.status !== 200 || o.uidEchoed !== true)
  expect(lost).toEqual([])
  // The drain really happened under load: requests in flight when SIGTERM was sent were
  // answered (eight are always in flight), and later ones refused. Whether any request was
  // also *sent* after the signal and still answered depends on when the process handles
  // the signal, so it is not asserted.
  expect(accepted.filter((o) => o.answeredAfterSignal).length).toBeGreaterThan(0)
  expect(refused).toBeGreaterThan(0)
  expect(serve.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']))
}
