import { createHash } from 'node:crypto'
import type { Action, CheckResult, Finding, Severity } from '../core/index.js'
import type { FindingRecord, PolicyActionRecord, RunMeta, RunRecord } from './records.js'

/** What a scan knows besides its result, to make a run of it. */
export interface RunContext {
  meta: Omit<RunMeta, 'policyDigest' | 'environments'>
  /** The configured environments (empty: findings have none). */
  environments: readonly string[]
  /** The action a policy of this severity has in an environment (the configuration's resolver). */
  actionFor: (policy: string, severity: Severity, environment: string | undefined) => Action
  /** Folder file paths are made relative to, so runs of one repository on different machines agree. */
  root: string
  relative: (root: string, file: string) => string
}

/**
 * Turn a scan's result into a run to record: every finding (status fail or error), the
 * action every policy has in every environment, and a digest of the policy set (ids,
 * severities, actions), so a changed policy set is visible between runs.
 */
export function runFromResult(result: CheckResult, context: RunContext): RunRecord {
  const envs: (string | undefined)[] = context.environments.length > 0 ? [...context.environments] : [undefined]
  const policyActions: PolicyActionRecord[] = []
  for (const meta of [...result.policies.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    for (const environment of envs) {
      policyActions.push({
        policy: meta.id,
        ...(environment === undefined ? {} : { environment }),
        action: context.actionFor(meta.id, meta.severity, environment),
      })
    }
  }
  const digest = createHash('sha256')
  for (const p of policyActions)
    digest.update(
      `${p.policy}\0${result.policies.get(p.policy)?.severity ?? ''}\0${p.environment ?? ''}\0${p.action}\n`,
    )
  return {
    meta: { ...context.meta, policyDigest: `sha256:${digest.digest('hex')}`, environments: context.environments },
    findings: result.findings
      .filter((f) => f.status === 'fail' || f.status === 'error')
      .map((f) => findingRecord(f, context)),
    policyActions,
  }
}

function findingRecord(f: Finding, context: RunContext): FindingRecord {
  const file = f.span?.file
  return {
    fingerprint: f.fingerprint,
    policy: f.policyId,
    severity: f.severity,
    action: f.action,
    status: f.status,
    message: f.message,
    ...(f.environment === undefined ? {} : { environment: f.environment }),
    kind: f.resource.kind,
    ...(f.resource.namespace === undefined ? {} : { namespace: f.resource.namespace }),
    name: f.resource.name,
    ...(file === undefined || file === '' ? {} : { file: context.relative(context.root, file) }),
    ...(f.span === undefined ? {} : { line: f.span.start.line }),
    ...(f.waiver === undefined
      ? {}
      : {
          waiver: {
            source: f.waiver.source,
            reason: f.waiver.reason,
            ...(f.waiver.owner ? { owner: f.waiver.owner } : {}),
            ...(f.waiver.expires ? { expires: f.waiver.expires } : {}),
          },
        }),
  }
}
