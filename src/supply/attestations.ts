import { crypto as sigCrypto, dsse } from '@sigstore/core'
import { isRecord, type ImageReportFact } from '../core/index.js'
import type { SignatureTrust } from './cosign.js'
import { mergeReports, parseImageReport } from './image-reports.js'
import type { RegistryClient } from './registry-client.js'

const DSSE_LAYER = 'application/vnd.dsse.envelope.v1+json'
const IN_TOTO = 'application/vnd.in-toto+json'
/** Predicate types Cosign writes for `cosign attest --type cyclonedx | spdxjson | spdx | vuln`. */
const SBOM_PREDICATES = new Set(['https://cyclonedx.org/bom', 'https://spdx.dev/Document'])
const VULN_PREDICATE = 'https://cosign.sigstore.dev/attestation/vuln/v1'

/** The tag Cosign stores an image's attestations under: `sha256-<hex>.att`. */
export function attestationTag(digest: string): string {
  return `${digest.replace(':', '-')}.att`
}

/**
 * Read the SBOM and vulnerability attestations Cosign stored beside `repository@digest`
 * and keep those signed by a trusted key whose in-toto subject is this digest: anyone who
 * can push could otherwise attach a clean report. Returns what they say (merged), and why
 * the others were left out.
 */
export async function readAttestations(
  client: RegistryClient,
  registry: string,
  repository: string,
  digest: string,
  trust: SignatureTrust,
): Promise<{ report?: ImageReportFact; skipped: string[] }> {
  const manifest = await client.manifest(registry, repository, attestationTag(digest))
  if (!manifest) return { skipped: [] }
  const layers = Array.isArray(manifest.json.layers) ? manifest.json.layers.filter(isRecord) : []
  let report: ImageReportFact | undefined
  const skipped: string[] = []
  for (const layer of layers) {
    if (layer.mediaType !== DSSE_LAYER || typeof layer.digest !== 'string') continue
    const judged = judgeAttestation(
      await client.blob(registry, repository, layer.digest),
      digest,
      trust,
      `${registry}/${repository}@${layer.digest}`,
    )
    if ('skipped' in judged) skipped.push(judged.skipped)
    else report = report ? mergeReports(report, judged.report) : judged.report
  }
  return { ...(report ? { report } : {}), skipped }
}

/** Pure part: one DSSE envelope, checked (key, subject) and read (predicate). */
export function judgeAttestation(
  envelopeBytes: Buffer,
  digest: string,
  trust: SignatureTrust,
  source: string,
): { report: ImageReportFact } | { skipped: string } {
  let envelope: { payloadType?: unknown; payload?: unknown; signatures?: unknown }
  try {
    envelope = JSON.parse(envelopeBytes.toString('utf8')) as typeof envelope
  } catch {
    return { skipped: `${source}: not a DSSE envelope` }
  }
  if (envelope.payloadType !== IN_TOTO || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures))
    return { skipped: `${source}: not an in-toto DSSE envelope` }
  const payload = Buffer.from(envelope.payload, 'base64')
  const pae = dsse.preAuthEncoding(IN_TOTO, payload)
  const signed = envelope.signatures.filter(isRecord).some((s) => {
    if (typeof s.sig !== 'string') return false
    const sig = Buffer.from(s.sig, 'base64')
    return trust.keys.some((k) =>
      sigCrypto.verify(pae, k.key, sig, k.key.asymmetricKeyType === 'ed25519' ? undefined : 'sha256'),
    )
  })
  if (!signed) return { skipped: `${source}: not signed by a trusted key` }
  let statement: { predicateType?: unknown; subject?: unknown; predicate?: unknown }
  try {
    statement = JSON.parse(payload.toString('utf8')) as typeof statement
  } catch {
    return { skipped: `${source}: the statement is not JSON` }
  }
  const hex = digest.replace(/^sha256:/, '')
  const subjects = Array.isArray(statement.subject) ? statement.subject.filter(isRecord) : []
  if (!subjects.some((s) => isRecord(s.digest) && s.digest.sha256 === hex))
    return { skipped: `${source}: the statement is about another artifact` }
  const predicate =
    statement.predicateType === VULN_PREDICATE && isRecord(statement.predicate) && isRecord(statement.predicate.scanner)
      ? statement.predicate.scanner.result
      : statement.predicate
  if (statement.predicateType !== VULN_PREDICATE && !SBOM_PREDICATES.has(String(statement.predicateType)))
    return {
      skipped: `${source}: predicate ${String(statement.predicateType)} is not an SBOM or a vulnerability report`,
    }
  const parsed = parseImageReport(predicate, source)
  return parsed ? { report: parsed.fact } : { skipped: `${source}: the predicate is not a report Palisade reads` }
}
