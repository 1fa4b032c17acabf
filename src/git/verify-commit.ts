import picomatch from 'picomatch'
import { describeError } from '../core/index.js'
import { matchPatternList, type AllowedSigner } from './allowed-signers.js'
import { formatIdent, type CommitObject } from './commit-object.js'
import { verifyPgpSignature, type TrustedPgpKey } from './openpgp-verify.js'
import { parseSshSignature, verifySshSignature } from './sshsig.js'

/** Who may sign: SSH keys from an allowed-signers file, OpenPGP public keys. */
export interface TrustStore {
  sshSigners: readonly AllowedSigner[]
  pgpKeys: readonly TrustedPgpKey[]
}

/** Path rules: commits touching `paths` (globs from the repository root) need a signer from one of `groups`. */
export interface SigningRules {
  /** Group name → members: SSH principals, emails of OpenPGP user ids, or key fingerprints. */
  groups: Readonly<Record<string, readonly string[]>>
  rules: readonly { paths: readonly string[]; groups: readonly string[] }[]
}

/** The signer of a good signature. */
export interface Signer {
  method: 'ssh' | 'openpgp'
  /** SSH principals or OpenPGP emails and user ids. */
  identities: string[]
  /** `SHA256:...` for SSH, the primary key fingerprint for OpenPGP. */
  key: string
}

/** Why a commit is not acceptable. */
export type CommitProblem =
  'unsigned' | 'unknown-signer' | 'expired-key' | 'bad-signature' | 'unsupported-signature' | 'unauthorized-signer'

/** One commit that failed verification. */
export interface CommitFinding {
  problem: CommitProblem
  /** Full commit hash. */
  commit: string
  author: string
  committedAt: string
  subject: string
  /** Paths the commit changed (for unauthorized-signer: the protected ones). */
  paths: string[]
  reason: string
  signer?: Signer
}

type SignatureVerdict =
  { ok: true; signer: Signer } | { ok: false; problem: Exclude<CommitProblem, 'unauthorized-signer'>; reason: string }

/**
 * Verify a commit's signature in-process: SSH (sshsig, namespace `git`) against the
 * allowed signers, with their namespaces and validity window checked at the committer
 * date as git does; OpenPGP against the trusted keys.
 */
export async function verifyCommitSignature(
  commit: CommitObject,
  trust: TrustStore,
  now: Date,
): Promise<SignatureVerdict> {
  const armored = commit.signature
  if (armored === undefined) return { ok: false, problem: 'unsigned', reason: 'the commit has no signature' }
  if (armored.includes('-----BEGIN SSH SIGNATURE-----')) return verifySsh(armored, commit, trust.sshSigners)
  if (armored.includes('-----BEGIN PGP SIGNATURE-----')) {
    const verdict = await verifyPgpSignature(armored, commit.payload, trust.pgpKeys, now)
    if (!verdict.ok) return { ok: false, problem: verdict.kind, reason: verdict.reason }
    return {
      ok: true,
      signer: {
        method: 'openpgp',
        identities: [...verdict.key.emails, ...verdict.key.userIds],
        key: verdict.key.fingerprint,
      },
    }
  }
  return {
    ok: false,
    problem: 'unsupported-signature',
    reason: 'the signature is neither SSH nor OpenPGP (X.509 signatures are not supported)',
  }
}

function verifySsh(armored: string, commit: CommitObject, signers: readonly AllowedSigner[]): SignatureVerdict {
  let sig: ReturnType<typeof parseSshSignature>
  try {
    sig = parseSshSignature(armored)
  } catch (error) {
    return { ok: false, problem: 'bad-signature', reason: `malformed SSH signature: ${describeError(error)}` }
  }
  const checked = verifySshSignature(sig, commit.payload, 'git')
  if (!checked.ok) return { ok: false, problem: 'bad-signature', reason: checked.reason }
  const sameKey = signers.filter((s) => s.keyBlob.equals(sig.publicKey))
  if (sameKey.length === 0)
    return {
      ok: false,
      problem: 'unknown-signer',
      reason: `signed by SSH key ${sig.fingerprint}, which is not in the allowed signers`,
    }
  const forGit = sameKey.filter((s) => s.namespaces === undefined || matchPatternList('git', s.namespaces))
  if (forGit.length === 0) {
    return {
      ok: false,
      problem: 'unknown-signer',
      reason: `SSH key ${sig.fingerprint} is allowed only for namespaces ${sameKey.flatMap((s) => s.namespaces ?? []).join(', ')}, not git`,
    }
  }
  const at = commit.committer.date
  const valid = forGit.filter((s) => (!s.validAfter || at >= s.validAfter) && (!s.validBefore || at <= s.validBefore))
  if (valid.length === 0) {
    const s = forGit[0] as AllowedSigner
    const window =
      `${s.validAfter ? `from ${s.validAfter.toISOString()} ` : ''}${s.validBefore ? `until ${s.validBefore.toISOString()}` : ''}`.trim()
    return {
      ok: false,
      problem: 'expired-key',
      reason: `SSH key ${sig.fingerprint} (${s.file}:${s.line}) is valid ${window}, but the commit is dated ${at.toISOString()}`,
    }
  }
  return {
    ok: true,
    signer: { method: 'ssh', identities: [...new Set(valid.flatMap((s) => s.principals))], key: sig.fingerprint },
  }
}

/** True when the signer is a member of the group: by identity (case-insensitive) or key fingerprint. */
export function isGroupMember(signer: Signer, members: readonly string[]): boolean {
  const ids = new Set([...signer.identities.map((i) => i.toLowerCase()), signer.key.toLowerCase()])
  return members.some((m) => ids.has(m.toLowerCase()))
}

/**
 * Check one commit: its signature, then the path rules. Returns a finding, or undefined
 * when the commit is acceptable.
 */
export async function checkCommit(
  commit: CommitObject,
  paths: readonly string[],
  trust: TrustStore,
  rules: SigningRules,
  now: Date,
): Promise<CommitFinding | undefined> {
  const base = {
    commit: commit.id,
    author: formatIdent(commit.author),
    committedAt: commit.committer.date.toISOString(),
    subject: commit.subject,
  }
  const verdict = await verifyCommitSignature(commit, trust, now)
  if (!verdict.ok) return { ...base, problem: verdict.problem, paths: [...paths], reason: verdict.reason }
  const missing: { paths: string[]; groups: readonly string[] }[] = []
  for (const rule of rules.rules) {
    const match = picomatch([...rule.paths], { dot: true })
    const touched = paths.filter((p) => match(p))
    if (touched.length === 0) continue
    if (!rule.groups.some((g) => isGroupMember(verdict.signer, rules.groups[g] ?? [])))
      missing.push({ paths: touched, groups: rule.groups })
  }
  if (missing.length === 0) return undefined
  const protectedPaths = [...new Set(missing.flatMap((m) => m.paths))]
  const groups = [...new Set(missing.flatMap((m) => m.groups))]
  const who = verdict.signer.identities[0] ?? verdict.signer.key
  return {
    ...base,
    problem: 'unauthorized-signer',
    paths: protectedPaths,
    signer: verdict.signer,
    reason: `signed by ${who} (${verdict.signer.key}), who is not in ${groups.length === 1 ? 'group' : 'any of the groups'} ${groups.join(', ')} required for ${protectedPaths.slice(0, 3).join(', ')}${protectedPaths.length > 3 ? ', ...' : ''}`,
  }
}
