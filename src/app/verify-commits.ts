import path from 'node:path'
import { ToolError, type BlockingRule, type CheckResult } from '../core/index.js'
import {
  commitsResult,
  loadTrustStore,
  openRepository,
  resolveCommit,
  verifyRange,
  type RangeVerification,
  type Repository,
  type TrustStore,
} from '../git/index.js'
import type { PalisadeConfig } from '../config/index.js'
import type { AppIo } from './io.js'
import { baseSigning, baseTrustReader, signingTrustFiles } from './base-trust.js'
import { resolvePrRange } from './pr-range.js'
import { pullRequestCommits, type SkippedMerge, type VerifiedMerge } from './synthetic-merge.js'
import { ConfigError, loadConfig } from './load-config.js'
import { withMaskedStrings } from './redact-result.js'

/** What `palisade verify-commits` is asked. */
export interface VerifyCommitsRequest {
  /** Commits: A..B, A...B or a single REF meaning REF...HEAD (resolvePrRange); default: @{upstream}..HEAD. */
  range?: string
  config?: string
  /** An allowed-signers file (overrides signing.allowedSigners). */
  allowedSigners?: string
  /** Armored OpenPGP public key files (added to signing.openpgpKeys). */
  openpgpKey?: readonly string[]
}

/**
 * `palisade verify-commits` as a use case: every commit of the range against the trusted
 * signers and the path rules of palisade.yaml, as a complete result with the rule it
 * blocks by (a rejected commit, or an error unless errors: report).
 */
export interface VerifiedCommits {
  result: CheckResult
  rule: BlockingRule
  /** What recording (`--record`) needs: the repository, the verification and the trust it used, the configuration. */
  repo: Repository
  verification: RangeVerification
  trust: TrustStore
  config: PalisadeConfig
  /** The tip was a synthetic merge (a CI checkout of a pull request), not required to be signed. */
  skippedMerge?: SkippedMerge
  /** The tip was a merge verified like any commit, and why it was not taken as synthetic. */
  verifiedMerge?: VerifiedMerge
}

export async function verifyCommits(request: VerifyCommitsRequest, io: AppIo): Promise<VerifiedCommits> {
  const config = await loadConfig(request.config, [], io)
  const repo = await openRepository(io.cwd)
  const range = await resolvePrRange(repo, request.range ?? (await defaultRange(repo)), 'range')
  // With a base (A..B, A...B, a single REF), the signing section and the trusted signers are the base's: the range must not vouch for itself.
  const baseRef = range.base
  const fromBase = baseRef === undefined ? undefined : await baseSigning(repo, baseRef, config)
  const signing = fromBase === undefined ? config.signing : fromBase.signing
  const fromConfig = (file: string): string => path.resolve(io.cwd, config.root, file)
  const named = signingTrustFiles(signing, fromConfig)
  const allowedSigners =
    request.allowedSigners !== undefined ? path.resolve(io.cwd, request.allowedSigners) : named.allowedSigners
  const openpgpKeys = [...named.openpgpKeys, ...(request.openpgpKey ?? []).map((f) => path.resolve(io.cwd, f))]
  if (allowedSigners === undefined && openpgpKeys.length === 0) {
    throw new ToolError('USAGE', 'no trusted signers: every commit would be rejected', {
      hint: 'set signing.allowedSigners and/or signing.openpgpKeys in palisade.yaml, or pass --allowed-signers / --openpgp-key',
    })
  }
  const shown = (abs: string): string => path.relative(io.cwd, abs) || abs
  const configNamed = new Set([
    ...(request.allowedSigners === undefined && named.allowedSigners !== undefined ? [named.allowedSigners] : []),
    ...named.openpgpKeys,
  ])
  const atBase = baseRef === undefined ? undefined : await baseTrustReader(repo, baseRef, configNamed, shown)
  const loaded = await loadTrustStore(
    { ...(allowedSigners === undefined ? {} : { allowedSigners }), openpgpKeys },
    shown,
    ...(atBase === undefined ? [] : [atBase.readText]),
  )
  if (atBase !== undefined) loaded.diagnostics.push(...(await atBase.changed()), ...(fromBase?.diagnostics ?? []))
  const unreadable = loaded.diagnostics.filter((d) => d.message.startsWith('cannot read'))
  if (unreadable.length > 0) throw new ConfigError(unreadable)
  const rules = { groups: signing?.groups ?? {}, rules: signing?.rules ?? [] }
  const commits = await pullRequestCommits(repo, range)
  const verification = await verifyRange(repo, commits.revList, loaded.trust, rules, io.now())
  const result = commitsResult(verification.commits, verification.findings, loaded.diagnostics)
  return {
    result: withMaskedStrings(result),
    rule: config.errors ? { errors: config.errors } : {},
    repo,
    verification,
    trust: loaded.trust,
    config,
    ...(commits.skipped ? { skippedMerge: commits.skipped } : {}),
    ...(commits.merge ? { verifiedMerge: commits.merge } : {}),
  }
}

async function defaultRange(repo: Repository): Promise<string> {
  try {
    await resolveCommit(repo, '@{upstream}')
  } catch (error) {
    throw new ToolError('USAGE', 'no range given and the current branch has no upstream', {
      cause: error,
      hint: 'give a range, e.g. palisade verify-commits origin/main..HEAD',
    })
  }
  return '@{upstream}..HEAD'
}
