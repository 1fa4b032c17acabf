import { countsOf, summarize, type BlockingRule, type CheckResult, type Finding } from '../core/index.js'
import { openRepository, readTreeSources, secretsResult, stagedPaths } from '../git/index.js'
import { checkSources } from '../pipeline/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { withEnvironment } from './collect-inputs.js'
import { CREDENTIAL_POLICY_ID } from './credential-policy.js'
import type { AppIo } from './io.js'
import { loadPolicySet } from './policy-set.js'
import { withMaskedStrings } from './redact-result.js'
import { withRedactedSources } from './redact-sources.js'
import { scanStaged, secretOptions } from './secret-scan.js'

/**
 * The pre-commit hook as a use case: the staged manifests (read from the index, not the
 * working tree) against the policies, and every staged file for secrets, as one complete
 * result. Undefined when nothing is staged.
 */
export async function checkStaged(
  options: { config?: string },
  io: AppIo,
): Promise<{ result: CheckResult; rule: BlockingRule } | undefined> {
  const repo = await openRepository(io.cwd)
  const staged = await stagedPaths(repo)
  if (staged.length === 0) return undefined
  // Credential values are left to the secret scan below, which covers every staged file, so nothing is reported twice.
  const set = await loadPolicySet({ ...options, exclude: [CREDENTIAL_POLICY_ID] }, io)
  const { config } = set
  const resolver = set.resolverAt(io.now())
  const only = new Set(staged)
  const manifests = await readTreeSources(
    repo,
    { index: true },
    { paths: [repo.root], maxFileBytes: DEFAULT_MAX_FILE_BYTES, only },
  )
  // Each file in its environment as `palisade scan .` at the top gives it (palisade.yaml paths, else the
  // layout: envs/prod, overlays/staging), so a commit is blocked here exactly when CI would block it.
  const names = config.environments.map((e) => e.name)
  const sources = manifests.sources.map((s) =>
    withEnvironment(s, [repo.root], io.cwd, resolver.environmentForFile(s.path), names),
  )
  const checked = checkSources(sources, {
    policies: set.policies,
    resolver,
    diagnostics: manifests.diagnostics,
  })
  const secrets = await scanStaged(repo, staged, secretOptions(config))
  const covered = (f: Finding): boolean =>
    f.resource.kind === 'Secret' &&
    checked.findings.some(
      (c) =>
        c.resource.kind === 'Secret' &&
        c.span?.file === f.span?.file &&
        c.resource.name === f.resource.name &&
        c.resource.namespace === f.resource.namespace,
    )
  const secretResult = secretsResult(secrets.findings, secrets.files, secrets.redacted, secrets.diagnostics)
  // The covered files still count as checked and failed; mergeResults counts the findings again.
  const uncovered = { ...secretResult, findings: secretResult.findings.filter((f) => !covered(f)) }
  const rule = {
    ...(config.failOn ? { failOn: config.failOn } : {}),
    ...(config.errors ? { errors: config.errors } : {}),
  }
  // The secret scan's sources are redacted already; the manifests' are redacted here.
  return { result: withMaskedStrings(mergeResults(withRedactedSources(checked), uncovered)), rule }
}

/** Two results of one run as one: findings and problems of both, counts added, the summary counted again from them. */
export function mergeResults(a: CheckResult, b: CheckResult): CheckResult {
  const counts = countsOf(a.summary)
  counts.checks.pass += b.summary.checks.pass
  counts.checks.fail += b.summary.checks.fail
  counts.policies += b.summary.policies
  const findings = [...a.findings, ...b.findings]
  const diagnostics = [...a.diagnostics, ...b.diagnostics]
  return {
    findings,
    diagnostics,
    summary: summarize(counts, findings, diagnostics),
    policies: new Map([...a.policies, ...b.policies]),
    sources: new Map([...a.sources, ...b.sources]),
  }
}
