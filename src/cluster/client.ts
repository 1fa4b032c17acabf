import https from 'node:https'
import http from 'node:http'
import { isRecord, ToolError } from '../core/index.js'
import type { ClusterAccess } from './kubeconfig.js'

/** An answer of the API server: status and parsed JSON body (a Status object on errors). */
export interface KubeResponse {
  status: number
  body: unknown
  /** `Warning` headers (admission warnings, deprecations), as kubectl prints them. */
  warnings: string[]
}

export interface RequestOptions {
  body?: unknown
  /** Default application/json; server-side apply uses application/apply-patch+yaml. */
  contentType?: string
  /** Status codes that are answers, not failures (e.g. 404 for "not found is fine"). */
  accept?: readonly number[]
}

/** Largest response body read (one page of a list); a bigger one is an error, never a partial read. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024
const TIMEOUT_MS = 30_000

/**
 * A small Kubernetes API client over node:https: bearer token, client certificate or basic
 * auth, a custom CA, JSON in and out, bounded response size and time. (Why not
 * @kubernetes/client-node: its 2.x needs Node >= 22.19 through undici 8, and it brings ws,
 * openid-client, tar-fs and socks for what is, here, GET/list/apply/delete.)
 *
 * @example
 * const client = new KubeClient(readKubeconfig(file))
 * const { body } = await client.request('GET', '/version')
 */
export class KubeClient {
  private readonly agent: http.Agent

  constructor(readonly access: ClusterAccess) {
    this.agent = access.server.startsWith('https:')
      ? new https.Agent({
          keepAlive: true,
          maxSockets: 4,
          ...(access.ca ? { ca: access.ca } : {}),
          ...(access.cert && access.key ? { cert: access.cert, key: access.key } : {}),
          ...(access.insecureSkipTlsVerify ? { rejectUnauthorized: false } : {}),
          ...(access.tlsServerName ? { servername: access.tlsServerName } : {}),
        })
      : new http.Agent({ keepAlive: true, maxSockets: 4 })
  }

  /** Send one request; non-2xx answers not in `accept` throw CLUSTER_FAILED with the server's message. */
  async request(method: string, apiPath: string, options: RequestOptions = {}): Promise<KubeResponse> {
    const url = new URL(this.access.server + apiPath)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.access.token) headers.authorization = `Bearer ${this.access.token}`
    else if (this.access.username !== undefined)
      headers.authorization = `Basic ${Buffer.from(`${this.access.username}:${this.access.password ?? ''}`).toString('base64')}`
    let payload: Buffer | undefined
    if (options.body !== undefined) {
      payload = Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body))
      headers['content-type'] = options.contentType ?? 'application/json'
    }
    const response = await this.send(method, url, headers, payload)
    if ((response.status >= 200 && response.status < 300) || options.accept?.includes(response.status)) return response
    const hint =
      response.status === 401
        ? 'the credentials of the kubeconfig context were rejected'
        : response.status === 403
          ? 'the user lacks RBAC rights for this request (audit needs get/list on what it reads)'
          : undefined
    throw new ToolError(
      'CLUSTER_FAILED',
      `${method} ${apiPath}: ${response.status} ${statusMessage(response.body)}`,
      hint ? { hint } : {},
    )
  }

  /** Close idle keep-alive sockets (so the process can exit). */
  close(): void {
    this.agent.destroy()
  }

  private send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    payload: Buffer | undefined,
  ): Promise<KubeResponse> {
    const transport = url.protocol === 'https:' ? https : http
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void =>
        reject(
          new ToolError(
            'CLUSTER_FAILED',
            `${method} ${url.pathname}: ${error.message} (${this.access.server}, context "${this.access.context}")`,
            { cause: error, hint: 'check the server address and that the API server is running' },
          ),
        )
      const req = transport.request(
        url,
        {
          method,
          headers: payload ? { ...headers, 'content-length': String(payload.length) } : headers,
          agent: this.agent,
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`))
              return
            }
            chunks.push(chunk)
          })
          res.on('error', fail)
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let body: unknown = text
            if (text !== '' && `${res.headers['content-type'] ?? ''}`.includes('json')) {
              try {
                body = JSON.parse(text)
              } catch (error) {
                fail(new Error(`the server sent invalid JSON: ${(error as Error).message}`))
                return
              }
            }
            resolve({ status: res.statusCode ?? 0, body, warnings: warningsOf(res.rawHeaders) })
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)))
      req.on('error', fail)
      req.end(payload)
    })
  }
}

/** The message of a Kubernetes Status body (or the raw text). */
export function statusMessage(body: unknown): string {
  if (isRecord(body) && typeof body.message === 'string') return body.message
  return typeof body === 'string' ? body.slice(0, 300) : ''
}

/**
 * Each `Warning: 299 - "text"` header (RFC 7234 form, one header per warning) to its text.
 * Raw headers: Node joins repeated headers with ", ", which would split texts wrongly.
 */
function warningsOf(raw: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== 'warning') continue
    const h = raw[i + 1] as string
    out.push(/^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(h)?.[1]?.replace(/\\(.)/g, '$1') ?? h)
  }
  return out
}
