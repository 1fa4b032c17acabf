/**
 * Signed evidence bundles: a folder of JSON files (compliance reports, runs, policy set,
 * configuration, waivers, verify-commits results) described by an in-toto Statement in a
 * DSSE envelope, and its offline verification. docs/compliance.md.
 */
export {
  pae,
  signEnvelope,
  verifyEnvelope,
  keyId,
  privateKeyFrom,
  publicKeyFrom,
  IN_TOTO_PAYLOAD_TYPE,
} from './dsse.js'
export type { DsseEnvelope } from './dsse.js'
export { writeBundle, verifyBundle, ENVELOPE_FILE, REQUIRED_FILES, STATEMENT_TYPE, PREDICATE_TYPE } from './bundle.js'
export type { EvidenceStatement, VerifyResult, Subject } from './bundle.js'
export { runsOf, waiversOf, commitsOf, coveredCommits } from './queries.js'
