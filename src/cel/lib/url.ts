import { evalError } from '../errors.js'
import { emptyObject } from '../maps.js'
import { overload, type FunctionTable } from '../overloads.js'
import { CelValue } from '../values.js'

/** The Kubernetes url library, parsing as Go's url.ParseRequestURI does. */

/** A parsed URL. */
export class ParsedURL extends CelValue {
  constructor(
    readonly source: string,
    readonly scheme: string,
    readonly host: string,
    readonly rawPath: string,
    readonly path: string,
    readonly rawQuery: string,
  ) {
    super()
  }
  get celType(): string {
    return 'kubernetes.URL'
  }
  equals(other: unknown): boolean {
    return other instanceof ParsedURL && other.source === this.source
  }
  toJs(): unknown {
    return this.source
  }
}

const HEX = /^[0-9a-fA-F]{2}$/
// Bytes a path may hold unescaped (Go's shouldEscape in path mode, plus the extras validEncoded allows).
const PATH_OK = /^[A-Za-z0-9\-_.~$&+,/:;=@!'()*[\]%]$/
// Bytes a host may hold (Go's shouldEscape in host mode).
const HOST_OK = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%]$/

function unescape(s: string, host: boolean): string {
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string
    if (c === '%') {
      const h = s.slice(i + 1, i + 3)
      if (!HEX.test(h)) throw evalError(`invalid URL escape "${s.slice(i, i + 3)}"`)
      bytes.push(parseInt(h, 16))
      i += 2
    } else {
      if (host && c.charCodeAt(0) < 0x80 && !HOST_OK.test(c)) throw evalError(`invalid character "${c}" in host name`)
      bytes.push(...Buffer.from(c, 'utf8'))
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

// Bytes Go's escape() leaves alone in a path.
const PATH_PLAIN = /^[A-Za-z0-9\-_.~$&+,/:;=@]$/

function escapePath(path: string): string {
  let out = ''
  for (const byte of Buffer.from(path, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += byte < 0x80 && PATH_PLAIN.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

const validPort = (p: string): boolean => p === '' || /^:[0-9]*$/.test(p)

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']')
    if (i < 0) throw evalError("missing ']' in host")
    if (!validPort(host.slice(i + 1))) throw evalError(`invalid port "${host.slice(i + 1)}" after host`)
  } else {
    const i = host.lastIndexOf(':')
    if (i >= 0 && !validPort(host.slice(i))) throw evalError(`invalid port "${host.slice(i)}" after host`)
  }
  return unescape(host, true)
}

/** Parse like Go's url.ParseRequestURI. */
export function parseURL(raw: string): ParsedURL {
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f'))
    throw evalError('net/url: invalid control character in URL')
  if (raw === '') throw evalError('parse "": empty url')
  if (raw === '*') return new ParsedURL(raw, '', '', '*', '*', '')
  let scheme = ''
  let rest = raw
  const m = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(raw)
  if (m) {
    scheme = (m[1] as string).toLowerCase()
    rest = raw.slice(m[0].length)
  } else if (raw.startsWith(':')) throw evalError(`parse "${raw}": missing protocol scheme`)
  let rawQuery = ''
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1)
  else {
    const q = rest.indexOf('?')
    if (q >= 0) {
      rawQuery = rest.slice(q + 1)
      rest = rest.slice(0, q)
    }
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return new ParsedURL(raw, scheme, '', '', '', rawQuery)
    throw evalError(`parse "${raw}": invalid URI for request`)
  }
  let host = ''
  if (scheme !== '' && rest.startsWith('//')) {
    let authority = rest.slice(2)
    const slash = authority.indexOf('/')
    rest = slash >= 0 ? authority.slice(slash) : ''
    authority = slash >= 0 ? authority.slice(0, slash) : authority
    const at = authority.lastIndexOf('@')
    if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at)))
      throw evalError('net/url: invalid userinfo')
    host = parseHost(at >= 0 ? authority.slice(at + 1) : authority)
  }
  return new ParsedURL(raw, scheme, host, rest, unescape(rest, false), rawQuery)
}

function splitHostPort(host: string): { hostname: string; port: string } {
  let hostname = host
  let port = ''
  const colon = host.lastIndexOf(':')
  if (colon >= 0 && validPort(host.slice(colon))) {
    hostname = host.slice(0, colon)
    port = host.slice(colon + 1)
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1)
  return { hostname, port }
}

function escapedPath(u: ParsedURL): string {
  const valid = [...u.rawPath].every((c) => c.charCodeAt(0) < 0x80 && PATH_OK.test(c))
  if (valid && u.rawPath !== '' && unescape(u.rawPath, false) === u.path) return u.rawPath
  if (u.path === '*') return '*'
  return escapePath(u.path)
}

function queryUnescape(s: string): string {
  return unescape(s.replace(/\+/g, ' '), false)
}

function query(u: ParsedURL): Record<string, unknown> {
  const out = emptyObject()
  for (const part of u.rawQuery.split('&')) {
    if (part === '' || part.includes(';')) continue
    const eq = part.indexOf('=')
    try {
      const key = queryUnescape(eq >= 0 ? part.slice(0, eq) : part)
      const value = queryUnescape(eq >= 0 ? part.slice(eq + 1) : '')
      const list = (out[key] as string[] | undefined) ?? []
      list.push(value)
      out[key] = list
    } catch {
      // Like Go's url.Query(), pairs with bad escapes are skipped.
      continue
    }
  }
  return out
}

const U = 'kubernetes.URL'

/** URL function table. */
export const URL_FUNCTIONS: FunctionTable = {
  url: { global: [overload(['string'], U, parseURL)] },
  isURL: {
    global: [
      overload(['string'], 'bool', (s: string) => {
        try {
          parseURL(s)
          return true
        } catch {
          return false
        }
      }),
    ],
  },
  getScheme: { member: [overload([U], 'string', (u: ParsedURL) => u.scheme)] },
  getHost: { member: [overload([U], 'string', (u: ParsedURL) => u.host)] },
  getHostname: { member: [overload([U], 'string', (u: ParsedURL) => splitHostPort(u.host).hostname)] },
  getPort: { member: [overload([U], 'string', (u: ParsedURL) => splitHostPort(u.host).port)] },
  getEscapedPath: { member: [overload([U], 'string', escapedPath)] },
  getQuery: { member: [overload([U], 'map', query)] },
}
