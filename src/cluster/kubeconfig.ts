import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { isRecord, ToolError } from '../core/index.js'

/** How to reach and authenticate to one API server: what a kubeconfig context or the in-cluster files say. */
export interface ClusterAccess {
  /** https://host:port, without a trailing slash. */
  server: string
  /** The context's name ("in-cluster" inside a Pod). */
  context: string
  /** PEM of the CA to trust; undefined = the system's CAs. */
  ca?: string
  insecureSkipTlsVerify?: boolean
  /** SNI / certificate name to check instead of the server's host (kubeconfig tls-server-name). */
  tlsServerName?: string
  token?: string
  /** Client certificate and key (PEM). */
  cert?: string
  key?: string
  username?: string
  password?: string
  /** The context's default namespace, if any. */
  namespace?: string
}

type Reader = (file: string) => string

/**
 * Read a kubeconfig file and resolve one context (the given one, else current-context):
 * server, CA, token or client certificate, inline (`*-data`) or as files relative to the
 * kubeconfig's folder. Exec and auth-provider plugins are refused with a hint: they run
 * commands named in the file.
 *
 * @example
 * const access = readKubeconfig('/home/me/.kube/config', 'prod')
 */
export function readKubeconfig(
  file: string,
  contextName?: string,
  read: Reader = (f) => readFileSync(f, 'utf8'),
): ClusterAccess {
  let text: string
  try {
    text = read(file)
  } catch (error) {
    throw new ToolError(
      'USAGE',
      `cannot read kubeconfig ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error, hint: 'pass --kubeconfig FILE, or set KUBECONFIG' },
    )
  }
  let doc: unknown
  try {
    doc = parse(text)
  } catch (error) {
    throw new ToolError(
      'CONFIG_INVALID',
      `kubeconfig ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    )
  }
  if (!isRecord(doc)) throw new ToolError('CONFIG_INVALID', `kubeconfig ${file} is not a mapping`)
  const bad = (what: string): ToolError => new ToolError('CONFIG_INVALID', `kubeconfig ${file}: ${what}`)
  const name = contextName ?? (typeof doc['current-context'] === 'string' ? doc['current-context'] : undefined)
  if (!name) throw new ToolError('USAGE', `kubeconfig ${file} has no current-context`, { hint: 'pass --context NAME' })
  const context = named(doc.contexts, name, 'context')
  if (!context)
    throw new ToolError('USAGE', `kubeconfig ${file} has no context "${name}"`, {
      hint: `contexts: ${names(doc.contexts).join(', ') || '(none)'}`,
    })
  const clusterName = context.cluster
  const userName = context.user
  if (typeof clusterName !== 'string') throw bad(`context "${name}" names no cluster`)
  const cluster = named(doc.clusters, clusterName, 'cluster')
  if (!cluster || typeof cluster.server !== 'string')
    throw bad(`cluster "${clusterName}" (context "${name}") has no server`)
  const user = typeof userName === 'string' ? (named(doc.users, userName, 'user') ?? {}) : {}
  const dir = path.dirname(path.resolve(file))
  const fileOrData = (record: Record<string, unknown>, key: string): string | undefined => {
    const data = record[`${key}-data`]
    if (typeof data === 'string' && data !== '') return Buffer.from(data, 'base64').toString('utf8')
    const ref = record[key]
    if (typeof ref !== 'string' || ref === '') return undefined
    const abs = path.resolve(dir, ref)
    try {
      return read(abs)
    } catch (error) {
      throw new ToolError(
        'CONFIG_INVALID',
        `kubeconfig ${file}: cannot read ${key} ${abs}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        { cause: error },
      )
    }
  }
  if (user.exec !== undefined || user['auth-provider'] !== undefined) {
    throw new ToolError(
      'USAGE',
      `kubeconfig ${file}: user "${String(userName)}" authenticates through an exec or auth-provider plugin, which palisade does not run`,
      {
        hint: 'use a context with a token or client certificate (e.g. a ServiceAccount token for audits)',
      },
    )
  }
  const token = typeof user.token === 'string' ? user.token : fileOrData(user, 'tokenFile')?.trim()
  const access: ClusterAccess = { server: cluster.server.replace(/\/+$/, ''), context: name }
  if (!access.server.startsWith('https://') && !access.server.startsWith('http://'))
    throw bad(`cluster "${clusterName}" server "${access.server}" is not an http(s) URL`)
  const ca = fileOrData(cluster, 'certificate-authority')
  if (ca !== undefined) access.ca = ca
  if (cluster['insecure-skip-tls-verify'] === true) access.insecureSkipTlsVerify = true
  if (typeof cluster['tls-server-name'] === 'string') access.tlsServerName = cluster['tls-server-name']
  if (token) access.token = token
  const cert = fileOrData(user, 'client-certificate')
  const key = fileOrData(user, 'client-key')
  if (cert !== undefined && key !== undefined) Object.assign(access, { cert, key })
  if (typeof user.username === 'string' && typeof user.password === 'string')
    Object.assign(access, { username: user.username, password: user.password })
  if (typeof context.namespace === 'string' && context.namespace !== '') access.namespace = context.namespace
  return access
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

/**
 * In-cluster access (a Pod's ServiceAccount): KUBERNETES_SERVICE_HOST/PORT from the given
 * environment and the mounted token and CA. Undefined when not running in a Pod.
 */
export function inClusterAccess(
  env: Readonly<Record<string, string | undefined>>,
  read: Reader = (f) => readFileSync(f, 'utf8'),
): ClusterAccess | undefined {
  const host = env.KUBERNETES_SERVICE_HOST
  const port = env.KUBERNETES_SERVICE_PORT
  if (!host || !port) return undefined
  let token: string
  let ca: string
  try {
    token = read(`${SA_DIR}/token`).trim()
    ca = read(`${SA_DIR}/ca.crt`)
  } catch (error) {
    throw new ToolError(
      'USAGE',
      `running in a Pod (KUBERNETES_SERVICE_HOST is set) but the ServiceAccount token cannot be read: ${(error as Error).message}`,
      { cause: error, hint: 'mount a ServiceAccount token, or pass --kubeconfig FILE' },
    )
  }
  const hostPart = host.includes(':') ? `[${host}]` : host
  return { server: `https://${hostPart}:${port}`, context: 'in-cluster', token, ca }
}

function named(list: unknown, name: string, field: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined
  for (const entry of list) {
    if (isRecord(entry) && entry.name === name && isRecord(entry[field])) return entry[field]
  }
  return undefined
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.flatMap((e) => (isRecord(e) && typeof e.name === 'string' ? [e.name] : [])) : []
}
