import { createHash } from 'node:crypto'
import { ToolError, describeError } from '../core/index.js'
import type { RegistryCredentials } from './docker-config.js'

/** Media types a manifest request accepts: OCI and Docker, single-platform and index. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ')

/** Largest manifest or signature blob read; a registry cannot make Palisade buffer more. */
const MAX_BYTES = 4 * 1024 * 1024

/** How a run may reach registries. The repository never widens this: only the operator does. */
export interface RegistryAccess {
  /** Registry hosts (host[:port]) that may be contacted; nothing else is. */
  allow: ReadonlySet<string>
  credentials: RegistryCredentials
  /** Per-request timeout. */
  timeoutMs: number
  /** Replaceable for tests of the protocol; the real fetch otherwise. */
  fetch?: typeof fetch
}

/** A manifest as the registry served it, with the digest of its bytes. */
export interface FetchedManifest {
  digest: string
  mediaType: string
  body: Buffer
  json: Record<string, unknown>
}

/** True for hosts on the loopback interface, the only ones reached over plain HTTP. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '')
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
}

/** The API host of a registry name (Docker Hub's API is registry-1.docker.io). */
function apiHost(registry: string): string {
  return registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry
}

/** A small OCI distribution client: manifests and blobs, bearer and basic auth, digests checked. */
export class RegistryClient {
  private readonly tokens = new Map<string, string>()
  private readonly doFetch: typeof fetch

  constructor(private readonly access: RegistryAccess) {
    this.doFetch = access.fetch ?? fetch
  }

  /** Whether the operator allowed this registry. */
  allowed(registry: string): boolean {
    return this.access.allow.has(registry) || this.access.allow.has('*')
  }

  /** GET a manifest by tag or digest; undefined when the registry says it does not exist (404). */
  async manifest(registry: string, repository: string, reference: string): Promise<FetchedManifest | undefined> {
    const res = await this.request(registry, repository, `manifests/${reference}`, MANIFEST_ACCEPT)
    if (res === undefined) return undefined
    const digest = sha256(res.body)
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new ToolError(
        'REGISTRY_ERROR',
        `${registry}/${repository}@${reference}: the registry served a manifest whose digest is ${digest}`,
      )
    }
    let json: unknown
    try {
      json = JSON.parse(res.body.toString('utf8'))
    } catch (error) {
      throw new ToolError(
        'REGISTRY_ERROR',
        `${registry}/${repository}:${reference}: manifest is not JSON: ${describeError(error)}`,
        { cause: error },
      )
    }
    const mediaType =
      res.contentType ??
      (typeof (json as Record<string, unknown>).mediaType === 'string'
        ? String((json as Record<string, unknown>).mediaType)
        : '')
    return { digest, mediaType, body: res.body, json: json as Record<string, unknown> }
  }

  /** GET a blob and check its digest. */
  async blob(registry: string, repository: string, digest: string): Promise<Buffer> {
    const res = await this.request(registry, repository, `blobs/${digest}`, '*/*')
    if (res === undefined) throw new ToolError('REGISTRY_ERROR', `${registry}/${repository}: blob ${digest} not found`)
    if (sha256(res.body) !== digest)
      throw new ToolError('REGISTRY_ERROR', `${registry}/${repository}: blob ${digest} does not match its digest`)
    return res.body
  }

  private async request(
    registry: string,
    repository: string,
    path: string,
    accept: string,
  ): Promise<{ body: Buffer; contentType?: string } | undefined> {
    if (!this.allowed(registry)) {
      throw new ToolError('REGISTRY_ERROR', `registry ${registry} is not in the allowed registries`, {
        hint: `allow it on the command line: --registry ${registry} (palisade.yaml cannot, so a pull request cannot make Palisade reach a host)`,
      })
    }
    const host = apiHost(registry)
    const url = `${isLoopbackHost(host) ? 'http' : 'https'}://${host}/v2/${repository}/${path}`
    const scope = `repository:${repository}:pull`
    let res = await this.send(url, accept, this.tokens.get(`${registry} ${scope}`))
    if (res.status === 401) {
      const token = await this.authorize(registry, res.headers.get('www-authenticate') ?? '', scope)
      res = await this.send(url, accept, token)
    }
    if (res.status === 404) {
      await res.body?.cancel()
      return undefined
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new ToolError('REGISTRY_ERROR', `${registry}: GET /v2/${repository}/${path} answered ${res.status}`)
    }
    const body = await readCapped(res, MAX_BYTES, url)
    const type = res.headers.get('content-type')?.split(';')[0]?.trim()
    return { body, ...(type ? { contentType: type } : {}) }
  }

  private async send(url: string, accept: string, authorization: string | undefined): Promise<Response> {
    try {
      return await this.doFetch(url, {
        headers: { accept, ...(authorization ? { authorization } : {}) },
        signal: AbortSignal.timeout(this.access.timeoutMs),
        redirect: 'follow',
      })
    } catch (error) {
      throw new ToolError('REGISTRY_ERROR', `cannot reach ${new URL(url).host}: ${describeError(error)}`, {
        cause: error,
      })
    }
  }

  /** Answer a 401 challenge: Basic with the configured credentials, or a Bearer token from the realm. */
  private async authorize(registry: string, challenge: string, scope: string): Promise<string> {
    const creds = this.access.credentials.get(registry) ?? this.access.credentials.get(apiHost(registry))
    const basic =
      creds?.username !== undefined
        ? `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`
        : undefined
    const [scheme] = challenge.split(' ', 1)
    if (scheme?.toLowerCase() === 'basic') {
      if (!basic)
        throw new ToolError('REGISTRY_ERROR', `${registry} asks for credentials and the docker config has none for it`)
      return basic
    }
    if (scheme?.toLowerCase() !== 'bearer')
      throw new ToolError('REGISTRY_ERROR', `${registry} answered 401 with an unsupported challenge "${scheme ?? ''}"`)
    const params = Object.fromEntries([...challenge.slice(7).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    const realm = params.realm
    if (!realm) throw new ToolError('REGISTRY_ERROR', `${registry} answered 401 with a Bearer challenge without realm`)
    const realmUrl = new URL(realm)
    if (realmUrl.protocol !== 'https:' && !(realmUrl.protocol === 'http:' && isLoopbackHost(realmUrl.host))) {
      throw new ToolError('REGISTRY_ERROR', `${registry}: token realm ${realmUrl.origin} is not HTTPS`)
    }
    if (params.service) realmUrl.searchParams.set('service', params.service)
    realmUrl.searchParams.set('scope', params.scope ?? scope)
    const res = await this.send(realmUrl.href, 'application/json', basic)
    if (!res.ok) {
      await res.body?.cancel()
      throw new ToolError('REGISTRY_ERROR', `${registry}: token request answered ${res.status}`)
    }
    const json = JSON.parse((await readCapped(res, 64 * 1024, realmUrl.href)).toString('utf8')) as {
      token?: string
      access_token?: string
    }
    const token = json.token ?? json.access_token
    if (!token) throw new ToolError('REGISTRY_ERROR', `${registry}: token response has no token`)
    const header = `Bearer ${token}`
    this.tokens.set(`${registry} ${scope}`, header)
    return header
  }
}

async function readCapped(res: Response, max: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  if (!res.body) return Buffer.alloc(0)
  for await (const chunk of res.body) {
    size += (chunk as Uint8Array).length
    if (size > max) {
      throw new ToolError('REGISTRY_ERROR', `${new URL(url).host}: response larger than ${max} bytes`)
    }
    chunks.push(Buffer.from(chunk as Uint8Array))
  }
  return Buffer.concat(chunks)
}

/** `sha256:<hex>` of some bytes. */
export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}
