import { evalError } from '../errors.js'
import { overload, type FunctionTable } from '../overloads.js'
import { CelValue } from '../values.js'

/**
 * The Kubernetes ip and cidr libraries, with Go netip parsing rules: no leading zeros
 * in IPv4 octets, no zones, no IPv4-mapped IPv6 addresses.
 */

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
export class IPAddress extends CelValue {
  constructor(readonly bytes: Uint8Array) {
    super()
  }
  get celType(): string {
    return 'net.IP'
  }
  get family(): number {
    return this.bytes.length === 4 ? 4 : 6
  }
  equals(other: unknown): boolean {
    return other instanceof IPAddress && sameBytes(this.bytes, other.bytes)
  }
  toJs(): unknown {
    return formatIP(this.bytes)
  }
}

/** A network prefix; the address keeps its host bits (see masked()). */
export class CIDR extends CelValue {
  constructor(
    readonly ip: IPAddress,
    readonly bits: number,
  ) {
    super()
  }
  get celType(): string {
    return 'net.CIDR'
  }
  equals(other: unknown): boolean {
    return other instanceof CIDR && other.bits === this.bits && this.ip.equals(other.ip)
  }
  toJs(): unknown {
    return `${formatIP(this.ip.bytes)}/${this.bits}`
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  const out = new Uint8Array(4)
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined
    out[i] = Number(p)
  }
  return out
}

function parseIPv6(s: string): Uint8Array | undefined {
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const groups = (text: string, v4Allowed: boolean): number[] | undefined => {
    if (text === '') return []
    const out: number[] = []
    const fields = text.split(':')
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as string
      if (v4Allowed && i === fields.length - 1 && f.includes('.')) {
        const v4 = parseIPv4(f)
        if (v4 === undefined) return undefined
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number))
      } else if (/^[0-9a-fA-F]{1,4}$/.test(f)) out.push(parseInt(f, 16))
      else return undefined
    }
    return out
  }
  const head = groups(halves[0] as string, halves.length === 1)
  const tail = halves.length === 2 ? groups(halves[1] as string, true) : []
  if (head === undefined || tail === undefined) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail]
  const out = new Uint8Array(16)
  all.forEach((g, i) => {
    out[2 * i] = g >> 8
    out[2 * i + 1] = g & 0xff
  })
  return out
}

const is4In6 = (b: Uint8Array): boolean =>
  b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff

/** Parse an IP address as the Kubernetes library does. */
export function parseIP(s: string): IPAddress {
  if (s.includes('%')) throw evalError(`IP address "${s}" with zone value is not allowed`)
  const bytes = s.includes(':') ? parseIPv6(s) : parseIPv4(s)
  if (bytes === undefined) throw evalError(`IP Address "${s}" parse error during conversion from string`)
  if (is4In6(bytes)) throw evalError(`IPv4-mapped IPv6 address "${s}" is not allowed`)
  return new IPAddress(bytes)
}

/** Go netip's canonical text: dotted IPv4, RFC 5952 IPv6. */
export function formatIP(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.')
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number))
  let bestStart = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

/** Parse a CIDR ("10.0.0.0/8") as the Kubernetes library does; host bits are kept. */
export function parseCIDR(s: string): CIDR {
  const slash = s.lastIndexOf('/')
  const fail = (why: string): Error =>
    evalError(`network address parse error during conversion from string: "${s}": ${why}`)
  if (slash < 0) throw fail('no "/"')
  const addr = s.slice(0, slash)
  const bitsText = s.slice(slash + 1)
  if (addr.includes('%')) throw fail('zones are not allowed')
  const bytes = addr.includes(':') ? parseIPv6(addr) : parseIPv4(addr)
  if (bytes === undefined) throw fail('bad address')
  if (is4In6(bytes)) throw evalError(`IPv4-mapped IPv6 address "${s}" is not allowed`)
  const bits = /^(0|[1-9][0-9]{0,2})$/.test(bitsText) ? Number(bitsText) : NaN
  if (!(bits <= bytes.length * 8)) throw fail(`bad bits after slash: "${bitsText}"`)
  return new CIDR(new IPAddress(bytes), bits)
}

function maskBytes(b: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(b)
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8))
    out[i] = (out[i] as number) & ((0xff << (8 - keep)) & 0xff)
  }
  return out
}

function containsIP(c: CIDR, ip: IPAddress): boolean {
  return c.ip.family === ip.family && sameBytes(maskBytes(c.ip.bytes, c.bits), maskBytes(ip.bytes, c.bits))
}

// As in Kubernetes: the other network's address must equal this network's masked address.
function containsCIDR(c: CIDR, other: CIDR): boolean {
  return (
    c.ip.family === other.ip.family && sameBytes(maskBytes(c.ip.bytes, c.bits), other.ip.bytes) && c.bits <= other.bits
  )
}

const test =
  (parse: (s: string) => unknown) =>
  (s: string): boolean => {
    try {
      parse(s)
      return true
    } catch {
      return false
    }
  }

const b = (ip: IPAddress): Uint8Array => ip.bytes
const isV4 = (ip: IPAddress): boolean => ip.family === 4
const allZero = (x: Uint8Array): boolean => x.every((v) => v === 0)
const isLoopback = (ip: IPAddress): boolean =>
  isV4(ip)
    ? b(ip)[0] === 127
    : b(ip)
        .slice(0, 15)
        .every((v) => v === 0) && b(ip)[15] === 1
const isMulticast = (ip: IPAddress): boolean => (isV4(ip) ? ((b(ip)[0] as number) & 0xf0) === 0xe0 : b(ip)[0] === 0xff)
const isLinkLocalUnicast = (ip: IPAddress): boolean =>
  isV4(ip) ? b(ip)[0] === 169 && b(ip)[1] === 254 : b(ip)[0] === 0xfe && ((b(ip)[1] as number) & 0xc0) === 0x80
const isLinkLocalMulticast = (ip: IPAddress): boolean =>
  isV4(ip)
    ? b(ip)[0] === 224 && b(ip)[1] === 0 && b(ip)[2] === 0
    : b(ip)[0] === 0xff && ((b(ip)[1] as number) & 0x0f) === 0x02
const isGlobalUnicast = (ip: IPAddress): boolean => {
  if (allZero(b(ip))) return false
  if (isV4(ip) && b(ip).every((v) => v === 255)) return false
  return !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip)
}

const IP = 'net.IP'
const C = 'net.CIDR'

/** IP and CIDR function table. */
export const IP_FUNCTIONS: FunctionTable = {
  ip: { global: [overload(['string'], IP, parseIP)], member: [overload([C], IP, (c: CIDR) => c.ip)] },
  isIP: { global: [overload(['string'], 'bool', test(parseIP))] },
  'ip.isCanonical': { global: [overload(['string'], 'bool', (s: string) => formatIP(parseIP(s).bytes) === s)] },
  family: { member: [overload([IP], 'int', (ip: IPAddress) => ip.family)] },
  isUnspecified: { member: [overload([IP], 'bool', (ip: IPAddress) => allZero(ip.bytes))] },
  isLoopback: { member: [overload([IP], 'bool', isLoopback)] },
  isLinkLocalMulticast: { member: [overload([IP], 'bool', isLinkLocalMulticast)] },
  isLinkLocalUnicast: { member: [overload([IP], 'bool', isLinkLocalUnicast)] },
  isGlobalUnicast: { member: [overload([IP], 'bool', isGlobalUnicast)] },
  string: {
    global: [
      overload([IP], 'string', (ip: IPAddress) => formatIP(ip.bytes)),
      overload([C], 'string', (c: CIDR) => c.toJs()),
    ],
  },
  cidr: { global: [overload(['string'], C, parseCIDR)] },
  isCIDR: { global: [overload(['string'], 'bool', test(parseCIDR))] },
  containsIP: {
    member: [
      overload([C, IP], 'bool', containsIP),
      overload([C, 'string'], 'bool', (c: CIDR, s: string) => containsIP(c, parseIP(s))),
    ],
  },
  containsCIDR: {
    member: [
      overload([C, C], 'bool', containsCIDR),
      overload([C, 'string'], 'bool', (c: CIDR, s: string) => containsCIDR(c, parseCIDR(s))),
    ],
  },
  prefixLength: { member: [overload([C], 'int', (c: CIDR) => c.bits)] },
  masked: { member: [overload([C], C, (c: CIDR) => new CIDR(new IPAddress(maskBytes(c.ip.bytes, c.bits)), c.bits))] },
}
