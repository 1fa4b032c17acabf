import { createHash, verify as cryptoVerify } from 'node:crypto'
import { parseSshPublicKey, sshFingerprint, type SshPublicKey } from './ssh-public-key.js'
import { WireReader, wireStrings } from './ssh-wire.js'

/** A decoded SSH signature (OpenSSH PROTOCOL.sshsig). */
export interface SshSignature {
  /** The signer's public key blob, as embedded in the signature. */
  publicKey: Buffer
  fingerprint: string
  namespace: string
  hashAlgorithm: 'sha256' | 'sha512'
  /** `ssh-ed25519`, `rsa-sha2-512`, `ecdsa-sha2-nistp256`, ... */
  signatureType: string
  signature: Buffer
}

const MAGIC = Buffer.from('SSHSIG')
const BEGIN = '-----BEGIN SSH SIGNATURE-----'
const END = '-----END SSH SIGNATURE-----'

/**
 * Decode an armored SSH signature (`-----BEGIN SSH SIGNATURE-----`): magic, version 1,
 * public key, namespace, reserved, hash algorithm and the signature blob.
 *
 * @throws Error saying what is malformed
 */
export function parseSshSignature(armored: string): SshSignature {
  const begin = armored.indexOf(BEGIN)
  const end = armored.indexOf(END)
  if (begin < 0 || end < begin) throw new Error('not an armored SSH signature')
  const base64 = armored.slice(begin + BEGIN.length, end).replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error('SSH signature armor is not base64')
  const reader = new WireReader(Buffer.from(base64, 'base64'))
  if (!reader.bytes(6, 'magic').equals(MAGIC)) throw new Error('SSH signature lacks the SSHSIG magic')
  const version = reader.uint32('version')
  if (version !== 1) throw new Error(`unsupported SSH signature version ${version}`)
  const publicKey = Buffer.from(reader.string('public key'))
  const namespace = reader.text('namespace')
  reader.string('reserved')
  const hashAlgorithm = reader.text('hash algorithm')
  if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512')
    throw new Error(`unsupported hash algorithm "${hashAlgorithm}"`)
  const blob = new WireReader(reader.string('signature'))
  const signatureType = blob.text('signature type')
  const signature = Buffer.from(blob.string('signature bytes'))
  return { publicKey, fingerprint: sshFingerprint(publicKey), namespace, hashAlgorithm, signatureType, signature }
}

/** The bytes an SSH signature actually signs: magic, namespace, reserved, hash algorithm, H(message). */
export function sshSignedData(namespace: string, hashAlgorithm: 'sha256' | 'sha512', message: Buffer): Buffer {
  const digest = createHash(hashAlgorithm).update(message).digest()
  return Buffer.concat([MAGIC, wireStrings(namespace, '', hashAlgorithm, digest)])
}

/**
 * Check an SSH signature over `message` with the public key embedded in it. Returns
 * the decoded key on success, or the reason it failed. Whether that key is trusted is
 * a separate question (allowed signers).
 */
export function verifySshSignature(
  sig: SshSignature,
  message: Buffer,
  namespace: string,
): { ok: true; key: SshPublicKey } | { ok: false; reason: string } {
  if (sig.namespace !== namespace)
    return { ok: false, reason: `signature is for namespace "${sig.namespace}", not "${namespace}"` }
  let key: SshPublicKey
  try {
    key = parseSshPublicKey(sig.publicKey)
  } catch (error) {
    return { ok: false, reason: `cannot use the signing key: ${(error as Error).message}` }
  }
  const data = sshSignedData(sig.namespace, sig.hashAlgorithm, message)
  let valid: boolean
  try {
    valid = verifyRaw(key, sig.signatureType, sig.signature, data)
  } catch (error) {
    return { ok: false, reason: `malformed ${sig.signatureType} signature: ${(error as Error).message}` }
  }
  return valid
    ? { ok: true, key }
    : { ok: false, reason: 'the signature does not match the signed content (modified after signing, or corrupted)' }
}

function verifyRaw(key: SshPublicKey, signatureType: string, signature: Buffer, data: Buffer): boolean {
  switch (key.type) {
    case 'ssh-ed25519':
      if (signatureType !== 'ssh-ed25519') throw new Error(`signature type ${signatureType} for an ed25519 key`)
      return cryptoVerify(null, data, key.key, signature)
    case 'ssh-rsa': {
      // ssh-rsa (SHA-1) signatures are refused, as OpenSSH refuses them for SSHSIG.
      const hash = signatureType === 'rsa-sha2-256' ? 'sha256' : signatureType === 'rsa-sha2-512' ? 'sha512' : undefined
      if (!hash)
        throw new Error(`RSA signature type ${signatureType} is not allowed (use rsa-sha2-256 or rsa-sha2-512)`)
      return cryptoVerify(hash, data, key.key, signature)
    }
    default: {
      if (signatureType !== key.type) throw new Error(`signature type ${signatureType} for a ${key.type} key`)
      const size = key.type.endsWith('nistp256') ? 32 : key.type.endsWith('nistp384') ? 48 : 66
      const hash = size === 32 ? 'sha256' : size === 48 ? 'sha384' : 'sha512'
      // The ECDSA signature blob is mpint r, mpint s; node wants r||s at the curve size.
      const reader = new WireReader(signature)
      const r = reader.mpint('r')
      const s = reader.mpint('s')
      if (r.length > size || s.length > size) throw new Error('ECDSA r or s larger than the curve')
      const joined = Buffer.concat([Buffer.alloc(size - r.length), r, Buffer.alloc(size - s.length), s])
      return cryptoVerify(hash, data, { key: key.key, dsaEncoding: 'ieee-p1363' }, joined)
    }
  }
}
