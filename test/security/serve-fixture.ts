/** A real `palisade serve` over TLS with certificates from `palisade certs`, in a temp folder, for the hostile-request tests. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect as netConnect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../e2e/run-cli.js'
import { startServe, type ServeProcess } from '../e2e/webhook-process.js'

export interface Served extends ServeProcess {
  ca: Buffer
  /** SIGTERM (if still running) and remove the temp folder. */
  stop(): Promise<void>
}

export async function serveTls(extra: readonly string[] = []): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-security-'))
  if (runCli(['certs', '--out', dir]).code !== 0) throw new Error('palisade certs failed')
  const serve = await startServe(['--tls-cert', 'tls.crt', '--tls-key', 'tls.key', ...extra], dir)
  let running = true
  void serve.exited.then(() => (running = false))
  return {
    ...serve,
    ca: readFileSync(join(dir, 'ca.crt')),
    stop: async () => {
      if (running) {
        serve.child.kill('SIGKILL')
        await serve.exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A plain TCP connection to the server, resolved once connected. */
export function tcpConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Resolves with `what` when `promise` settles first, with 'timed out' after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), ms)))
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Resolves when the server side closes the socket (end or close). */
export function closedByServer(socket: Socket): Promise<'closed'> {
  return new Promise((resolve) => {
    socket.on('error', () => undefined)
    socket.once('end', () => resolve('closed'))
    socket.once('close', () => resolve('closed'))
  })
}

/** Resolves once a log line satisfies `test` (log lines arrive through a pipe, after the event that caused them). */
export async function logLine(
  served: ServeProcess,
  test: (line: Record<string, unknown>) => boolean,
  ms = 10_000,
): Promise<Record<string, unknown> | undefined> {
  const until = Date.now() + ms
  for (;;) {
    const found = served.logs.find(test)
    if (found || Date.now() > until) return found
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
