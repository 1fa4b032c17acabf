import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { ToolError } from '../core/index.js'

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse, envelope.md). */
export interface DsseEnvelope {
  payloadType: string
  /** base64 of the payload bytes. */
  payload: string
  signatures: { keyid: string; sig: string }[]
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'

/** Pre-Authentication Encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8')
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload])
}

/** Ed25519 signs the message itself; ECDSA P-256 signs its SHA-256. Anything else is refused. */
function algorithmOf(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519') return null
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'sha256'
  throw new ToolError(
    'USAGE',
    `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}`,
    { hint: 'use an Ed25519 or ECDSA P-256 key in PEM' },
  )
}

/** keyid: sha256 of the public key's SubjectPublicKeyInfo (DER), in hex. */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

/** Parse a PEM private key; a bad file is a usage error naming it. */
export function privateKeyFrom(pem: string, where: string): KeyObject {
  try {
    const key = createPrivateKey(pem)
    algorithmOf(key)
    return key
  } catch (error) {
    if (error instanceof ToolError) throw error
    throw new ToolError('USAGE', `${where}: not a PEM private key (${(error as Error).message})`)
  }
}

/** Parse a PEM public key (or take the public half of a private one). */
export function publicKeyFrom(pem: string, where: string): KeyObject {
  try {
    const key = createPublicKey(pem)
    algorithmOf(key)
    return key
  } catch (error) {
    if (error instanceof ToolError) throw error
    throw new ToolError('USAGE', `${where}: not a PEM public key (${(error as Error).message})`)
  }
}

/** Sign a payload into an envelope. */
export function signEnvelope(payload: Buffer, payloadType: string, key: KeyObject): DsseEnvelope {
  const sig = sign(algorithmOf(key), pae(payloadType, payload), key)
  return {
    payloadType,
    payload: payload.toString('base64'),
    signatures: [{ keyid: keyId(key), sig: sig.toString('base64') }],
  }
}

/** True when one of the envelope's signatures verifies with the key over PAE(payloadType, payload). */
export function verifyEnvelope(envelope: DsseEnvelope, key: KeyObject): boolean {
  const message = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'))
  const algorithm = algorithmOf(key)
  return envelope.signatures.some((s) => {
    try {
      return verify(algorithm, message, key, Buffer.from(s.sig, 'base64'))
    } catch {
      return false // a malformed signature is a signature that does not verify
    }
  })
}
