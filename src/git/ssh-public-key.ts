import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { WireReader } from './ssh-wire.js'

/** An SSH public key, decoded. */
export interface SshPublicKey {
  /** `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ... */
  type: string
  /** The wire-format key blob (what `authorized_keys` holds in base64). */
  blob: Buffer
  /** `SHA256:<base64>` as `ssh-keygen -l` prints it. */
  fingerprint: string
  key: KeyObject
}

/** Key types whose signatures Palisade verifies (the ones `ssh-keygen -Y sign` makes without hardware). */
export const SSH_KEY_TYPES = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
])

const CURVES: Readonly<Record<string, { crv: string; bytes: number }>> = {
  nistp256: { crv: 'P-256', bytes: 32 },
  nistp384: { crv: 'P-384', bytes: 48 },
  nistp521: { crv: 'P-521', bytes: 66 },
}

const b64url = (b: Buffer): string => b.toString('base64url')

/** `SHA256:<unpadded base64>` of a key blob. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/**
 * Decode an SSH public key blob into a node:crypto key (via JWK, so no PEM assembly).
 *
 * @throws Error for unsupported types (security keys `sk-*`, certificates, DSA) and malformed blobs
 */
export function parseSshPublicKey(blob: Buffer): SshPublicKey {
  const reader = new WireReader(blob)
  const type = reader.text('key type')
  let key: KeyObject
  if (type === 'ssh-ed25519') {
    const raw = reader.string('ed25519 key')
    if (raw.length !== 32) throw new Error(`ed25519 key of ${raw.length} bytes`)
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' })
  } else if (type.startsWith('ecdsa-sha2-')) {
    const curveName = reader.text('curve name')
    const curve = CURVES[curveName]
    if (!curve || type !== `ecdsa-sha2-${curveName}`) throw new Error(`unsupported ECDSA curve "${curveName}"`)
    const point = reader.string('EC point')
    if (point.length !== 1 + 2 * curve.bytes || point[0] !== 0x04)
      throw new Error('EC point is not an uncompressed point of the curve')
    const x = point.subarray(1, 1 + curve.bytes)
    const y = point.subarray(1 + curve.bytes)
    key = createPublicKey({ key: { kty: 'EC', crv: curve.crv, x: b64url(x), y: b64url(y) }, format: 'jwk' })
  } else if (type === 'ssh-rsa') {
    const e = reader.mpint('RSA exponent')
    const n = reader.mpint('RSA modulus')
    key = createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' })
  } else {
    throw new Error(`unsupported SSH key type "${type}"`)
  }
  if (!reader.done) throw new Error(`trailing bytes after ${type} key`)
  return { type, blob, fingerprint: sshFingerprint(blob), key }
}
