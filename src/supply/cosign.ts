import { bundleFromJSON } from '@sigstore/bundle'
import { crypto as sigCrypto } from '@sigstore/core'
import { toSignedEntity, Verifier, type TrustMaterial } from '@sigstore/verify'
import type { KeyObject } from 'node:crypto'
import { RE2JS } from 're2js'
import { describeError, isRecord, type SignatureFact } from '../core/index.js'
import type { RegistryClient } from './registry-client.js'

const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json'
const ANNOTATION_SIGNATURE = 'dev.cosignproject.cosign/signature'
const ANNOTATION_CERT = 'dev.sigstore.cosign/certificate'
const ANNOTATION_BUNDLE = 'dev.sigstore.cosign/bundle'

/** What a signature must chain to: public keys by name, keyless identities with their trusted root. */
export interface SignatureTrust {
  keys: readonly { name: string; key: KeyObject }[]
  keyless: readonly { issuer: string; subject: string }[]
  /** Certificate authorities and transparency logs keyless signatures are checked against (a trusted_root.json). */
  trustedRoot?: TrustMaterial
}

/** One Cosign signature as stored in the `.sig` manifest: payload, signature, certificate, Rekor bundle. */
export interface CosignSignature {
  payload: Buffer
  signature: Buffer
  certificatePem?: string
  rekorBundle?: {
    SignedEntryTimestamp: string
    Payload: { body: string; integratedTime: number; logIndex: number; logID: string }
  }
}

/** The tag Cosign stores an image's signatures under: `sha256-<hex>.sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`
}

/**
 * Discover and verify the Cosign signatures of `repository@digest`, as `cosign verify`
 * does: the `sha256-<hex>.sig` manifest's simple-signing layers, whose payload must name
 * this digest, signed by one of the keys, or by a certificate that chains to the trusted
 * root, has a transparency-log entry, and names an accepted issuer and subject.
 */
export async function verifyCosignSignatures(
  client: RegistryClient,
  registry: string,
  repository: string,
  digest: string,
  trust: SignatureTrust,
): Promise<SignatureFact> {
  const tag = signatureTag(digest)
  const manifest = await client.manifest(registry, repository, tag)
  if (!manifest) return { status: 'unsigned', reason: `no ${tag} signature manifest in ${registry}/${repository}` }
  const layers = Array.isArray(manifest.json.layers) ? manifest.json.layers.filter(isRecord) : []
  const signatures: CosignSignature[] = []
  for (const layer of layers) {
    if (layer.mediaType !== SIMPLE_SIGNING || typeof layer.digest !== 'string') continue
    const annotations = isRecord(layer.annotations) ? layer.annotations : {}
    const sig = annotations[ANNOTATION_SIGNATURE]
    if (typeof sig !== 'string') continue
    const payload = await client.blob(registry, repository, layer.digest)
    const entry: CosignSignature = { payload, signature: Buffer.from(sig, 'base64') }
    if (typeof annotations[ANNOTATION_CERT] === 'string') entry.certificatePem = annotations[ANNOTATION_CERT]
    if (typeof annotations[ANNOTATION_BUNDLE] === 'string') {
      try {
        entry.rekorBundle = JSON.parse(annotations[ANNOTATION_BUNDLE]) as NonNullable<CosignSignature['rekorBundle']>
      } catch {
        // An unreadable Rekor bundle is the same as none: the keyless check then refuses it.
      }
    }
    signatures.push(entry)
  }
  if (signatures.length === 0) return { status: 'unsigned', reason: `${tag} holds no simple-signing signature` }
  return judgeSignatures(signatures, digest, trust)
}

/** Pure part of the check: which of these signatures, if any, is valid and trusted for `digest`. */
export function judgeSignatures(
  signatures: readonly CosignSignature[],
  digest: string,
  trust: SignatureTrust,
): SignatureFact {
  const reasons: string[] = []
  for (const s of signatures) {
    const claimed = claimedDigest(s.payload)
    if (claimed !== digest) {
      reasons.push(
        claimed === undefined ? 'a payload that is not a simple-signing document' : `a payload for ${claimed}`,
      )
      continue
    }
    if (s.certificatePem === undefined) {
      const key = trust.keys.find((k) => verifyWithKey(s.payload, s.signature, k.key))
      if (key) return { status: 'verified', signer: key.name }
      reasons.push(
        trust.keys.length === 0 ? 'a key signature, and no key is trusted' : 'a signature by none of the trusted keys',
      )
      continue
    }
    const keyless = verifyKeyless(s, trust)
    if (keyless.ok) return { status: 'verified', signer: keyless.signer }
    reasons.push(keyless.reason)
  }
  return { status: 'untrusted', reason: `${signatures.length} signature(s): ${[...new Set(reasons)].join('; ')}` }
}

function claimedDigest(payload: Buffer): string | undefined {
  try {
    const json = JSON.parse(payload.toString('utf8')) as {
      critical?: { image?: { 'docker-manifest-digest'?: unknown } }
    }
    const d = json.critical?.image?.['docker-manifest-digest']
    return typeof d === 'string' ? d : undefined
  } catch {
    return undefined
  }
}

/** ECDSA and RSA (PKCS#1 v1.5) sign a SHA-256 of the payload; Ed25519 signs the payload itself. */
function verifyWithKey(payload: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    return sigCrypto.verify(payload, key, signature, key.asymmetricKeyType === 'ed25519' ? undefined : 'sha256')
  } catch {
    return false
  }
}

function verifyKeyless(
  s: CosignSignature,
  trust: SignatureTrust,
): { ok: true; signer: string } | { ok: false; reason: string } {
  if (trust.keyless.length === 0)
    return { ok: false, reason: 'a keyless signature, and no keyless identity is trusted' }
  if (!trust.trustedRoot)
    return { ok: false, reason: 'a keyless signature, and no trusted root was given (--trusted-root)' }
  if (!s.rekorBundle) return { ok: false, reason: 'a keyless signature without a transparency-log entry' }
  const der = pemToDer(s.certificatePem as string)
  const rekor = s.rekorBundle
  const serialized = {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      x509CertificateChain: { certificates: [{ rawBytes: der.toString('base64') }] },
      tlogEntries: [
        {
          logIndex: String(rekor.Payload.logIndex),
          logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
          kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
          integratedTime: String(rekor.Payload.integratedTime),
          inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
          canonicalizedBody: rekor.Payload.body,
        },
      ],
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: sigCrypto.digest('sha256', s.payload).toString('base64') },
      signature: s.signature.toString('base64'),
    },
  }
  let identity: { issuer?: string; san?: string }
  try {
    const entity = toSignedEntity(bundleFromJSON(serialized), s.payload)
    const signer = new Verifier(trust.trustedRoot, {
      tlogThreshold: 1,
      ctlogThreshold: 0,
      timestampThreshold: 1,
    }).verify(entity)
    identity = {
      ...(signer.identity?.extensions?.issuer ? { issuer: signer.identity.extensions.issuer } : {}),
      ...(signer.identity?.subjectAlternativeName ? { san: signer.identity.subjectAlternativeName } : {}),
    }
  } catch (error) {
    return { ok: false, reason: `a keyless signature that does not verify: ${describeError(error)}` }
  }
  const match = trust.keyless.find(
    (k) => k.issuer === identity.issuer && identity.san !== undefined && RE2JS.compile(k.subject).matches(identity.san),
  )
  if (match) return { ok: true, signer: `${identity.san} (${identity.issuer})` }
  return {
    ok: false,
    reason: `a keyless signature by ${identity.san ?? '?'} from ${identity.issuer ?? '?'}, which no keyless identity accepts`,
  }
}

function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
  return Buffer.from(body, 'base64')
}
