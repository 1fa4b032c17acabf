import { randomBytes } from 'node:crypto'
import forge from 'node-forge'

/** PEM files for the webhook: the CA (for the caBundle) and the serving pair it signed. */
export interface WebhookCertificates {
  caCert: string
  cert: string
  key: string
}

/**
 * A fresh CA and a serving certificate signed by it, with `dnsNames`, localhost and
 * 127.0.0.1 as subject alternative names (the API server checks SANs, not the CN).
 * RSA 2048 with SHA-256; node:crypto cannot issue X.509 certificates, so node-forge does.
 */
export function createWebhookCertificates(
  dnsNames: readonly string[],
  days: number,
  now: Date = new Date(),
): WebhookCertificates {
  const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 })
  const ca = forge.pki.createCertificate()
  ca.publicKey = caKeys.publicKey
  setValidity(ca, now, days)
  const caSubject = [{ name: 'commonName', value: 'Palisade webhook CA' }]
  ca.setSubject(caSubject)
  ca.setIssuer(caSubject)
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  ca.sign(caKeys.privateKey, forge.md.sha256.create())

  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 })
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  setValidity(cert, now, days)
  const names = [...new Set([...dnsNames, 'localhost'])]
  cert.setSubject([{ name: 'commonName', value: names[0] as string }])
  cert.setIssuer(caSubject)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }] },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ])
  cert.sign(caKeys.privateKey, forge.md.sha256.create())
  return {
    caCert: forge.pki.certificateToPem(ca),
    cert: forge.pki.certificateToPem(cert),
    key: forge.pki.privateKeyToPem(keys.privateKey),
  }
}

function setValidity(cert: forge.pki.Certificate, now: Date, days: number): void {
  // A random positive serial (RFC 5280: up to 20 octets, non-negative).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`
  cert.validity.notBefore = new Date(now.getTime() - 5 * 60_000) // tolerate clock skew
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000)
}
