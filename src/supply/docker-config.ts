import { readFile } from 'node:fs/promises'
import { ToolError, describeError, isRecord } from '../core/index.js'

/** Username and password (or identity token) per registry host. */
export type RegistryCredentials = ReadonlyMap<string, { username?: string; password?: string }>

/**
 * Read registry credentials from a Docker config file (`~/.docker/config.json`, as
 * `docker login` and `crane auth login` write it): `auths.<host>.auth` (base64
 * user:password) or `username`/`password`, `identitytoken`. Credential helpers
 * (`credsStore`, `credHelpers`) run programs and are not used. A missing file is no credentials.
 */
export async function readDockerConfig(file: string): Promise<RegistryCredentials> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw new ToolError('FILE_UNREADABLE', `cannot read the docker config ${file}: ${describeError(error)}`, {
      cause: error,
    })
  }
  return parseDockerConfig(text, file)
}

/** Parse the text of a Docker config file. */
export function parseDockerConfig(text: string, file: string): RegistryCredentials {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ToolError('USAGE', `the docker config ${file} is not JSON: ${describeError(error)}`, { cause: error })
  }
  const out = new Map<string, { username?: string; password?: string }>()
  const auths = isRecord(json) && isRecord(json.auths) ? json.auths : {}
  for (const [key, entry] of Object.entries(auths)) {
    if (!isRecord(entry)) continue
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '')
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon > 0) out.set(host, { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) })
    } else if (typeof entry.identitytoken === 'string') {
      // Docker sends an identity token as the password of the user <token>.
      out.set(host, { username: '<token>', password: entry.identitytoken })
    } else if (typeof entry.username === 'string') {
      out.set(host, {
        username: entry.username,
        ...(typeof entry.password === 'string' ? { password: entry.password } : {}),
      })
    }
  }
  if (out.has('index.docker.io'))
    out.set('docker.io', out.get('index.docker.io') as { username?: string; password?: string })
  return out
}
