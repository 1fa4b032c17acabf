import {
  findingFingerprint,
  summarize,
  type CheckResult,
  type Diagnostic,
  type Finding,
  type PolicyMeta,
  type ResourceRef,
  type Severity,
} from '../core/index.js'
import type { SecretFinding } from './secrets/index.js'
import type { CommitFinding, CommitProblem } from './verify-commit.js'

/** Metadata of commit findings (`palisade verify-commits`). */
export const SIGNED_COMMITS_META: PolicyMeta = {
  id: 'require-signed-commits',
  title: 'Commits must be signed by a trusted signer',
  summary:
    'Every commit carries a good SSH or OpenPGP signature by an allowed signer, from the required group for protected paths.',
  rationale:
    "In GitOps the commit is the change: an unsigned or forged commit deploys whatever its author wants, under anyone's name.",
  remediation:
    'Sign commits (git config commit.gpgsign true), add the signer to the allowed signers or the OpenPGP keys, or have a member of the required group sign the change.',
  severity: 'high',
  category: 'gitops',
  controls: [
    { framework: 'nist', control: 'CM-14' },
    { framework: 'nist', control: 'SI-7' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'pci', control: '6.5.1' },
  ],
}

/** Metadata of secret findings (`palisade secrets`). */
export const SECRETS_META: PolicyMeta = {
  id: 'disallow-hardcoded-credentials',
  title: 'Credentials must not be committed',
  summary:
    'Cloud keys, service tokens, private keys, passwords and high-entropy secrets do not belong in the repository.',
  rationale:
    'A credential in Git is readable by everyone with access to the repository and its history; rotating it is the only fix.',
  remediation:
    'Remove it, rotate it, and reference it (SealedSecret, ExternalSecret, SOPS). Allow a known false positive by its fingerprint under secrets.allow.',
  severity: 'high',
  category: 'secrets',
  controls: [
    { framework: 'cis', control: '5.4.1' },
    { framework: 'nsa', control: 'secrets/encryption' },
    { framework: 'nist', control: 'IA-5(7)' },
    { framework: 'pci', control: '8.6.2' },
  ],
}

const SEVERITY: Record<CommitProblem, Severity> = {
  'bad-signature': 'critical',
  'unknown-signer': 'high',
  unsigned: 'high',
  'unauthorized-signer': 'high',
  'expired-key': 'medium',
  'unsupported-signature': 'medium',
}

const camel = (id: string): string => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
/**
 * verify-commits results as a CheckResult, so every report format works: one finding per
 * rejected commit (policy require-signed-commits, message id = the problem, action deny),
 * the commit as the "resource" (kind Commit, name = short hash) and in `commit` with its
 * author, paths and signer.
 */
export function commitsResult(
  commits: readonly string[],
  rejected: readonly CommitFinding[],
  diagnostics: Diagnostic[],
): CheckResult {
  const findings = rejected.map((c): Finding => {
    const resource: ResourceRef = { apiVersion: 'git', kind: 'Commit', name: c.commit.slice(0, 12) }
    const messageId = camel(c.problem)
    const paths =
      c.paths.length > 0
        ? ` Paths: ${c.paths.slice(0, 5).join(', ')}${c.paths.length > 5 ? `, and ${c.paths.length - 5} more` : ''}.`
        : ''
    return {
      policyId: SIGNED_COMMITS_META.id,
      messageId,
      message: `Commit ${c.commit.slice(0, 12)} by ${c.author} ("${c.subject}"): ${c.problem}: ${c.reason}.${paths}`,
      status: 'fail',
      severity: SEVERITY[c.problem],
      path: '',
      stablePath: '',
      resource,
      controls: SIGNED_COMMITS_META.controls,
      category: SIGNED_COMMITS_META.category,
      action: 'deny',
      fingerprint: findingFingerprint({
        policyId: SIGNED_COMMITS_META.id,
        messageId,
        resource: { ...resource, name: c.commit },
        stablePath: '',
      }),
      commit: {
        id: c.commit,
        author: c.author,
        paths: c.paths,
        ...(c.signer ? { signer: c.signer.identities[0] ?? c.signer.key } : {}),
      },
    }
  })
  const checks = { pass: commits.length - findings.length, fail: findings.length, error: 0, skip: 0 }
  const summary = summarize({ files: 0, resources: commits.length, policies: 1, checks }, findings, diagnostics)
  return {
    findings,
    diagnostics,
    summary,
    policies: new Map([[SIGNED_COMMITS_META.id, SIGNED_COMMITS_META]]),
    sources: new Map(),
  }
}

/**
 * Secret findings as a CheckResult: one finding per credential (message id = the rule),
 * allowed fingerprints kept but waived (they never block). `sources` holds the redacted
 * text of each file with findings, for code frames. Files without a Kubernetes object
 * appear as resource kind File.
 */
export function secretsResult(
  found: readonly SecretFinding[],
  files: number,
  redacted: ReadonlyMap<string, string>,
  diagnostics: Diagnostic[],
): CheckResult {
  const findings = found.map((s): Finding => {
    const resource: ResourceRef = s.resource ?? { apiVersion: '', kind: 'File', name: s.file }
    const messageId = camel(s.rule)
    const position = { line: s.line, column: s.column, offset: 0 }
    return {
      policyId: SECRETS_META.id,
      messageId,
      message: `${s.title} ${s.preview} (fingerprint ${s.fingerprint}).`,
      status: 'fail',
      severity: s.severity,
      path: s.pointer ?? '',
      stablePath: s.pointer ?? '',
      resource,
      span: { file: s.file, start: position, end: position },
      controls: SECRETS_META.controls,
      category: SECRETS_META.category,
      action: 'deny',
      // The value's fingerprint identifies the secret wherever it moves; the rule keeps types apart.
      fingerprint: s.fingerprint,
      ...(s.allowed === undefined ? {} : { waiver: { source: 'config' as const, reason: s.allowed } }),
      ...(s.commit ? { commit: { id: s.commit, ...(s.author === undefined ? {} : { author: s.author }) } } : {}),
    }
  })
  const failed = new Set(found.map((f) => f.file)).size
  const summary = summarize(
    { files, resources: 0, policies: 1, checks: { pass: files - failed, fail: failed, error: 0, skip: 0 } },
    findings,
    diagnostics,
  )
  const sources = new Map([...redacted].filter(([file]) => found.some((f) => f.file === file)))
  return { findings, diagnostics, summary, policies: new Map([[SECRETS_META.id, SECRETS_META]]), sources }
}
