import { timingSafeEqual, createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ToolError } from '../core/index.js'
import { computeStats, openFindings, type SqlQueryable } from '../store/index.js'
import { loadAssets } from './assets.js'
import {
  admissionPage,
  commitsPage,
  findingFilter,
  findingsPage,
  overviewPage,
  rolloutPage,
  waiversPage,
  type PageContext,
} from './pages.js'

/** How the dashboard runs. */
export interface DashboardOptions {
  db: SqlQueryable
  host: string
  port: number
  /** Required when `host` is not a loopback address; read-only access. */
  token?: string
  /** How far back the figures go (days), and readiness days. */
  sinceDays: number
  readyAfterDays: number
  now: () => Date
  /** Called with each request's failure (logged by the CLI). */
  onError: (error: unknown) => void
}

/** A running dashboard. */
export interface Dashboard {
  url: string
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
const COOKIE = 'palisade_token'

/**
 * Serve the dashboard: HTML pages rendered on the server from the store, charts drawn by
 * uPlot served from the package, a JSON API (/api/stats, /api/findings). Read-only: no
 * request changes the store. Bound elsewhere than loopback, every request needs the
 * bearer token (header, or the cookie `/?token=` sets).
 */
export async function startDashboard(o: DashboardOptions): Promise<Dashboard> {
  if (!LOOPBACK.has(o.host) && (o.token === undefined || o.token.length < 16)) {
    throw new ToolError('USAGE', `the dashboard bound to ${o.host} needs a bearer token of at least 16 characters`, {
      hint: 'set PALISADE_DASHBOARD_TOKEN (or --token-file), or bind to 127.0.0.1',
    })
  }
  const assets = await loadAssets()
  const tokenHash = o.token === undefined ? undefined : createHash('sha256').update(o.token).digest()
  const authorised = (req: IncomingMessage): boolean => {
    if (tokenHash === undefined) return true
    const header = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const cookie = /(?:^|;\s*)palisade_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    const given = header ?? (cookie === undefined ? undefined : decodeURIComponent(cookie))
    return given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), tokenHash)
  }
  const pages: Record<string, (c: PageContext, q: URLSearchParams) => Promise<string>> = {
    '/': overviewPage,
    '/findings': findingsPage,
    '/rollout': rolloutPage,
    '/admission': admissionPage,
    '/commits': commitsPage,
    '/waivers': waiversPage,
  }
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://dashboard')
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'read-only: GET only\n')
    const asset = url.pathname.startsWith('/assets/') ? assets.get(url.pathname.slice(8)) : undefined
    if (asset) return send(res, 200, asset.type, asset.body, 'public, max-age=3600')
    const queryToken = url.searchParams.get('token')
    if (tokenHash !== undefined && queryToken !== null) {
      // Browsers cannot send a bearer header on navigation: trade the token for a cookie and drop it from the address bar.
      url.searchParams.delete('token')
      res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(queryToken)}; HttpOnly; SameSite=Strict; Path=/`)
      res.setHeader('Location', `${url.pathname}${url.search}`)
      return send(res, 303, 'text/plain; charset=utf-8', 'see other\n')
    }
    if (!authorised(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer')
      return send(res, 401, 'text/plain; charset=utf-8', 'a bearer token is required\n')
    }
    const now = o.now()
    const context: PageContext = {
      db: o.db,
      now,
      since: new Date(now.getTime() - o.sinceDays * 86_400_000),
      readyAfterDays: o.readyAfterDays,
    }
    if (url.pathname === '/api/stats')
      return send(
        res,
        200,
        'application/json',
        JSON.stringify(
          await computeStats(o.db, {
            since: context.since,
            now,
            readyAfterDays: o.readyAfterDays,
            expiringWithinDays: 14,
          }),
        ),
      )
    if (url.pathname === '/api/findings')
      return send(
        res,
        200,
        'application/json',
        JSON.stringify(await openFindings(o.db, findingFilter(url.searchParams))),
      )
    const page = pages[url.pathname]
    if (!page) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n')
    return send(res, 200, 'text/html; charset=utf-8', await page(context, url.searchParams))
  }
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      o.onError(error)
      if (!res.headersSent)
        send(res, 500, 'text/plain; charset=utf-8', 'the store could not be read; see the server log\n')
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new ToolError('USAGE', `cannot listen on ${o.host}:${o.port}: ${error.message}`, { cause: error })),
    )
    server.listen(o.port, o.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, cache = 'no-store'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': cache,
    // Pages load only their own scripts and styles: the JSON data blocks are not executed.
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  })
  res.end(body)
}
