import { readFile } from 'node:fs/promises'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { Server as NetServer, type Socket } from 'node:net'
import { createSecureContext } from 'node:tls'
import { describeError, ToolError } from '../core/index.js'
import { createHandler, type HandlerOptions } from './handler.js'
import type { JsonLog } from './json-log.js'
import type { WebhookMetrics } from './metrics.js'
import type { PolicyGeneration } from './generation.js'
import { lingeringClose } from './linger.js'
import { RateLimitedWarning, type RateLimit } from './rate-limited-log.js'
import { watchFiles } from './watch-files.js'

/** Time limits that keep slow, idle and stuck clients from holding the server. */
export interface Timeouts {
  /** All headers must arrive within this (slow-loris). */
  headersMs: number
  /** The whole request, body included, must arrive within this. */
  requestMs: number
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number
  /** How often Node checks the two limits above. */
  checkIntervalMs: number
  /** The TLS handshake must complete within this; a connection that sends no ClientHello is then closed. */
  handshakeMs: number
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 30_000,
  checkIntervalMs: 1_000,
  handshakeMs: 10_000,
}

/**
 * TLS 1.2 only with forward secrecy and AEAD (ECDHE key exchange, GCM or ChaCha20-Poly1305);
 * Node's default list also accepts static-RSA suites such as AES128-GCM-SHA256. The TLS 1.3
 * suites are Node's defaults, all of them forward secret.
 */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':')
const TLS_SETTINGS = { minVersion: 'TLSv1.2', ciphers: TLS_CIPHERS, honorCipherOrder: true } as const

/** Failed handshakes are logged at most this often: any client can cause one. */
export const HANDSHAKE_LOG_LIMIT: RateLimit = { lines: 10, intervalMs: 60_000 }

export interface WebhookServerOptions extends Omit<HandlerOptions, 'state'> {
  /** Certificate and key files (PEM); undefined serves plain HTTP (`--insecure-http` only). */
  tls: { certFile: string; keyFile: string } | undefined
  generation: () => PolicyGeneration | undefined
  log: JsonLog
  metrics: WebhookMetrics
  timeouts?: Partial<Timeouts>
  /** After SIGTERM: keep serving this long (readiness already false) so endpoints update first. */
  shutdownDelayMs?: number
  /** After SIGTERM: close whatever is still open after this long. */
  shutdownTimeoutMs?: number
}

interface Tracked {
  inflight: number
  idleSince: number
}

/**
 * The admission webhook's HTTPS server: the handler, timeouts, certificate reload on
 * file change (setSecureContext, the old certificate keeps serving if the new pair is
 * bad), and a graceful shutdown that answers every request it accepted.
 */
export class WebhookServer {
  private readonly server: HttpServer
  /** Connections that serve HTTP (after their TLS handshake). */
  private readonly sockets = new Map<Socket, Tracked>()
  /** Every TCP connection from accept to close, handshake or not. */
  private readonly connections = new Set<Socket>()
  /** TCP connections whose TLS handshake has not completed, by remote address and port, with when they came. */
  private readonly handshaking = new Map<string, { socket: Socket; since: number }>()
  private readonly handshakeLog: RateLimitedWarning
  private closing = false
  private tlsWatch: { close(): void } | undefined

  private constructor(
    private readonly options: WebhookServerOptions,
    server: HttpServer,
  ) {
    this.server = server
    const t = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
    server.headersTimeout = t.headersMs
    server.requestTimeout = t.requestMs
    server.keepAliveTimeout = t.keepAliveMs
    this.handshakeLog = new RateLimitedWarning(options.log, 'TLS handshake failed', HANDSHAKE_LOG_LIMIT)
    const track = (socket: Socket): void => {
      this.sockets.set(socket, { inflight: 0, idleSince: performance.now() })
      socket.on('close', () => this.sockets.delete(socket))
    }
    // 'connection' is the TCP socket: tracked from accept, so that shutdown can end a
    // connection that never completes (or never starts) its TLS handshake.
    server.on('connection', (socket: Socket) => {
      this.connections.add(socket)
      socket.on('close', () => this.connections.delete(socket))
      if (!options.tls) return track(socket)
      const key = peer(socket)
      this.handshaking.set(key, { socket, since: performance.now() })
      socket.on('close', () => {
        if (this.handshaking.get(key)?.socket === socket) this.handshaking.delete(key)
      })
    })
    if (options.tls) {
      server.on('secureConnection', (socket: Socket) => {
        this.handshaking.delete(peer(socket))
        track(socket)
      })
    }
    // With a listener here Node no longer destroys the socket itself: a client that never
    // sends a ClientHello would stay (CLOSE-WAIT) past the handshake timeout.
    server.on('tlsClientError', (error: Error & { code?: string }, socket: Socket) => {
      socket.destroy()
      this.handshakeLog.warn({ error: describeError(error), ...(error.code ? { code: error.code } : {}) })
    })
    server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
      // Malformed HTTP, or a timeout on headers or body: answer if the socket can still take it.
      const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request'
      if (socket.writable)
        lingeringClose(socket, `HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
      else socket.destroy()
    })
    const handle = createHandler({
      ...options,
      state: { generation: options.generation, accepting: () => !this.closing },
    })
    server.on('request', (req, res) => {
      const tracked = this.sockets.get(req.socket)
      if (tracked) {
        tracked.inflight++
        res.on('close', () => {
          tracked.inflight--
          tracked.idleSince = performance.now()
        })
      }
      handle(req, res)
    })
  }

  /** Create the server (reading the certificate) without listening yet. */
  static async create(options: WebhookServerOptions): Promise<WebhookServer> {
    const t = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
    if (!options.tls)
      return new WebhookServer(options, createHttpServer({ connectionsCheckingInterval: t.checkIntervalMs }))
    const pair = await readPair(options.tls)
    const server = createHttpsServer({
      ...pair,
      ...TLS_SETTINGS,
      handshakeTimeout: t.handshakeMs,
      connectionsCheckingInterval: t.checkIntervalMs,
    })
    const webhook = new WebhookServer(options, server)
    const files = [options.tls.certFile, options.tls.keyFile]
    webhook.tlsWatch = await watchFiles(files, () => void webhook.reloadCertificate(), {
      onError: (e) => options.log.error('certificate watch failed', { error: describeError(e) }),
    })
    return webhook
  }

  /** Listen; resolves with the bound port (0 picks a free one). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        this.server.off('error', reject)
        const address = this.server.address()
        resolve(typeof address === 'object' && address ? address.port : port)
      })
    })
  }

  /** Read the certificate and key again and serve them to new connections; keep the old pair if they fail. */
  async reloadCertificate(): Promise<boolean> {
    const tls = this.options.tls
    if (!tls) return false
    try {
      const pair = await readPair(tls)
      ;(this.server as unknown as { setSecureContext(o: object): void }).setSecureContext({ ...pair, ...TLS_SETTINGS })
      this.options.log.info('certificate reloaded', { cert: tls.certFile })
      return true
    } catch (error) {
      this.options.metrics.tlsReloadFailed()
      this.options.log.error('certificate reload failed; the previous certificate keeps serving', {
        cert: tls.certFile,
        error: describeError(error),
      })
      return false
    }
  }

  /**
   * Graceful shutdown. Readiness turns false at once and every response from then on
   * carries `connection: close`; after `shutdownDelayMs` the listener closes (new
   * connections are refused, never half-accepted); requests in flight finish; a
   * connection with nothing in flight for a moment is closed; whatever remains after
   * `shutdownTimeoutMs` is cut, and so is a connection still in its TLS handshake after
   * the idle grace. Resolves when no connection is left.
   */
  async shutdown(): Promise<void> {
    if (this.closing) return
    this.closing = true
    this.tlsWatch?.close()
    const deadline = performance.now() + (this.options.shutdownTimeoutMs ?? 25_000)
    await sleep(this.options.shutdownDelayMs ?? 0)
    // net.Server's close: stop listening only. http.Server#close would also drop idle
    // connections at once, including a fresh one whose first request is on the wire.
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(this.server, () => resolve()))
    const idleGraceMs = 500
    while (this.connections.size > 0 && performance.now() < deadline) {
      const now = performance.now()
      for (const [socket, t] of this.sockets) if (t.inflight === 0 && now - t.idleSince > idleGraceMs) socket.destroy()
      for (const { socket, since } of this.handshaking.values()) if (now - since > idleGraceMs) socket.destroy()
      await sleep(50)
    }
    for (const socket of this.sockets.keys()) socket.destroy()
    for (const socket of this.connections) socket.destroy()
    await closed
    this.handshakeLog.flush()
  }
}

async function readPair(tls: { certFile: string; keyFile: string }): Promise<{ cert: Buffer; key: Buffer }> {
  try {
    const [cert, key] = await Promise.all([readFile(tls.certFile), readFile(tls.keyFile)])
    // Fails on a key that does not match the certificate (half-rotated files).
    createSecureContext({ cert, key })
    return { cert, key }
  } catch (error) {
    throw new ToolError(
      'FILE_UNREADABLE',
      `cannot use certificate ${tls.certFile} with key ${tls.keyFile}: ${describeError(error)}`,
      { cause: error },
    )
  }
}

/** A TCP connection's remote end; the TLS socket over it reports the same. */
function peer(socket: Socket): string {
  return `${socket.remoteAddress ?? ''}|${socket.remotePort ?? ''}`
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
