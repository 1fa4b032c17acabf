/**
 * The supply-chain edge: everything the image policies need from outside the scanned
 * files, gathered BEFORE evaluation and handed to the engine as data (the `supply`
 * parameter). An OCI distribution client (docker config credentials, plain HTTP only on
 * loopback, only registries the operator allowed), Cosign signature discovery and
 * verification with the Sigstore libraries, a signature cache by digest, promotion history
 * from Git, and scan report / SBOM readers.
 */
export { RegistryClient, isLoopbackHost, sha256 } from './registry-client.js'
export type { RegistryAccess, FetchedManifest } from './registry-client.js'
export { readDockerConfig, parseDockerConfig } from './docker-config.js'
export type { RegistryCredentials } from './docker-config.js'
export { verifyCosignSignatures, judgeSignatures, signatureTag } from './cosign.js'
export type { SignatureTrust, CosignSignature } from './cosign.js'
export { SignatureCache } from './signature-cache.js'
export { loadTrust } from './trust.js'
export type { LoadedTrust } from './trust.js'
export { gatherSignatures, imagesOf } from './gather-signatures.js'
export type { ImageUse, SignatureLookup } from './gather-signatures.js'
export { soakTimes, readEnvironmentHistory } from './promotion.js'
export type { EnvironmentRevision } from './promotion.js'
export { parseImageReport, mergeReports } from './image-reports.js'
export type { ParsedReport } from './image-reports.js'
export { gatherImageFacts } from './gather.js'
export type { GatherOptions } from './gather.js'
export { gatherPromotion, readReports } from './gather.js'
export { AdmissionImageFacts } from './admission-facts.js'
export { readAttestations, judgeAttestation, attestationTag } from './attestations.js'
