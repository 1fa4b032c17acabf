import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { json as sigJson } from '@sigstore/core'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { toTrustMaterial } from '@sigstore/verify'
import forge from 'node-forge'
import { describe, expect, it } from 'vitest'
import { judgeSignatures, type CosignSignature, type SignatureTrust } from './index.js'

/**
 * Keyless verification against a Sigstore trusted root made for the test (no network): a
 * CA in the role of Fulcio, a log key in the role of Rekor, a leaf certificate with the
 * workload identity, and the signed entry timestamp Cosign stores in its bundle annotation.
 */
const DIGEST = `sha256:${'ab'.repeat(32)}`
const ISSUER = 'https://token.actions.githubusercontent.com'
const SUBJECT = 'https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main'

function makeCa(name: string): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const keys = forge.pki.rsa.generateKeyPair(2048)
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = '01'
  cert.validity.notBefore = new Date(Date.now() - 86_400_000)
  cert.validity.notAfter = new Date(Date.now() + 86_400_000)
  const attrs = [
    { name: 'commonName', value: name },
    { name: 'organizationName', value: 'test' },
  ]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return { cert, key: keys.privateKey }
}

function makeLeaf(
  ca: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey },
  subject: string,
  issuer: string,
): { pem: string; key: KeyObject } {
  const keys = forge.pki.rsa.generateKeyPair(2048)
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = '02'
  cert.validity.notBefore = new Date(Date.now() - 3_600_000)
  cert.validity.notAfter = new Date(Date.now() + 3_600_000)
  cert.setSubject([])
  cert.setIssuer(ca.cert.subject.attributes)
  cert.setExtensions([
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', codeSigning: true },
    { name: 'subjectAltName', critical: true, altNames: [{ type: 6, value: subject }] },
    // Fulcio's OIDC issuer extension (v1): the issuer URL as raw bytes.
    { id: '1.3.6.1.4.1.57264.1.1', value: issuer },
  ])
  cert.sign(ca.key, forge.md.sha256.create())
  return { pem: forge.pki.certificateToPem(cert), key: createPrivateKey(forge.pki.privateKeyToPem(keys.privateKey)) }
}

const der = (cert: forge.pki.Certificate): string =>
  Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary').toString('base64')

function setup() {
  const fulcio = makeCa('test-fulcio')
  const rekor = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const rekorSpki = rekor.publicKey.export({ type: 'spki', format: 'der' })
  const logID = createHash('sha256').update(rekorSpki).digest('hex')
  const root = TrustedRoot.fromJSON({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: 'https://rekor.test',
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: rekorSpki.toString('base64'),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
          validFor: { start: '2020-01-01T00:00:00Z' },
        },
        logId: { keyId: Buffer.from(logID, 'hex').toString('base64') },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'test', commonName: 'test-fulcio' },
        uri: 'https://fulcio.test',
        certChain: { certificates: [{ rawBytes: der(fulcio.cert) }] },
        validFor: { start: '2020-01-01T00:00:00Z' },
      },
    ],
    ctlogs: [],
    timestampAuthorities: [],
  })
  const signature = (leaf: { pem: string; key: KeyObject }, tamper = false): CosignSignature => {
    const payload = Buffer.from(
      JSON.stringify({
        critical: {
          identity: { 'docker-reference': 'registry.example.com/shop/web' },
          image: { 'docker-manifest-digest': DIGEST },
          type: 'cosign container image signature',
        },
        optional: null,
      }),
    )
    const sig = sign('sha256', payload, leaf.key)
    const body = Buffer.from(
      sigJson.canonicalize({
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: {
          data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
          signature: {
            content: sig.toString('base64'),
            publicKey: { content: Buffer.from(leaf.pem).toString('base64') },
          },
        },
      }),
    ).toString('base64')
    const integratedTime = Math.floor(Date.now() / 1000)
    const set = sign(
      'sha256',
      Buffer.from(sigJson.canonicalize({ body, integratedTime, logIndex: 7, logID })),
      rekor.privateKey,
    ).toString('base64')
    return {
      payload,
      signature: sig,
      certificatePem: leaf.pem,
      rekorBundle: {
        SignedEntryTimestamp: set,
        Payload: { body, integratedTime: tamper ? integratedTime + 1 : integratedTime, logIndex: 7, logID },
      },
    }
  }
  return { fulcio, material: toTrustMaterial(root), signature }
}

describe('keyless Cosign signatures', () => {
  const { fulcio, material, signature } = setup()
  const trust = (keyless: SignatureTrust['keyless']): SignatureTrust => ({ keys: [], keyless, trustedRoot: material })
  const accepted = [{ issuer: ISSUER, subject: '^https://github\\.com/acme/.+' }]

  it('verifies a certificate that chains to the trusted root, with a log entry, for an accepted identity', () => {
    expect(judgeSignatures([signature(makeLeaf(fulcio, SUBJECT, ISSUER))], DIGEST, trust(accepted))).toEqual({
      status: 'verified',
      signer: `${SUBJECT} (${ISSUER})`,
    })
  })

  it('refuses another subject or another issuer', () => {
    const other = judgeSignatures(
      [signature(makeLeaf(fulcio, 'https://github.com/mallory/x/.github/workflows/r.yml@refs/heads/main', ISSUER))],
      DIGEST,
      trust(accepted),
    )
    expect(other).toMatchObject({ status: 'untrusted', reason: expect.stringContaining('mallory') })
    const issuer = judgeSignatures(
      [signature(makeLeaf(fulcio, SUBJECT, 'https://accounts.google.com'))],
      DIGEST,
      trust(accepted),
    )
    expect(issuer).toMatchObject({ status: 'untrusted', reason: expect.stringContaining('accounts.google.com') })
  })

  it('refuses a certificate from a CA the root does not hold', () => {
    const rogue = makeCa('test-fulcio')
    expect(judgeSignatures([signature(makeLeaf(rogue, SUBJECT, ISSUER))], DIGEST, trust(accepted))).toMatchObject({
      status: 'untrusted',
      reason: expect.stringContaining('does not verify'),
    })
  })

  it('refuses a log entry whose signed timestamp does not match (inclusion promise)', () => {
    expect(
      judgeSignatures([signature(makeLeaf(fulcio, SUBJECT, ISSUER), true)], DIGEST, trust(accepted)),
    ).toMatchObject({ status: 'untrusted', reason: expect.stringContaining('does not verify') })
  })

  it('refuses keyless signatures without a log entry or without a trusted root', () => {
    const { rekorBundle: _dropped, ...noLog } = signature(makeLeaf(fulcio, SUBJECT, ISSUER))
    expect(judgeSignatures([noLog], DIGEST, trust(accepted))).toMatchObject({
      status: 'untrusted',
      reason: expect.stringContaining('transparency-log'),
    })
    expect(
      judgeSignatures([signature(makeLeaf(fulcio, SUBJECT, ISSUER))], DIGEST, { keys: [], keyless: accepted }),
    ).toMatchObject({ status: 'untrusted', reason: expect.stringContaining('--trusted-root') })
  })
})
