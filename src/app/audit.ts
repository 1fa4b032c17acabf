import { collectLive } from '../cluster/index.js'
import type { BlockingRule, CheckResult, Diagnostic, Severity } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { liveEnvironment, liveResources, liveText, policyKinds } from '../live/index.js'
import { checkResources, type LocatedResource } from '../pipeline/index.js'
import { clusterClient, type ClusterFlags } from './cluster-access.js'
import type { AppIo } from './io.js'
import { loadPolicySet, type PolicyOptions } from './policy-set.js'
import { redactedResult } from './redact-result.js'
import { writePolicyReports } from './write-policy-reports.js'

/** What `audit` is asked: which cluster, which namespace, which policies and environment. */
export interface AuditOptions extends PolicyOptions, ClusterFlags {
  namespace?: string
  env?: string
  failOn?: Severity
  /** Keep a record of every policy × object evaluation (JUnit, PolicyReports). */
  collectChecks?: boolean
  /** Also apply the result as PolicyReports in the cluster, replacing Palisade's previous ones. */
  writeReports?: boolean
  /** Keep each object's YAML for code frames (only the text format prints them; 10,000 objects' YAML is not free). */
  codeFrames?: boolean
}

export interface AuditOutcome {
  /** Complete and redacted: findings of live objects at `k8s://<context>/<ns>/<Kind>/<name>:line`. */
  result: CheckResult
  config: PalisadeConfig
  rule: BlockingRule
  /** With writeReports: how many reports were written and how many old ones removed. */
  reports?: { written: number; removed: number }
}

/**
 * `palisade audit` as a use case: the scan's policy set, the live objects of the kinds it
 * looks at (discovery, paged lists), each in its environment (`--env`, else palisade.yaml by
 * namespace, then by cluster), checked by the scan's pipeline; optionally written back as
 * PolicyReports.
 */
export async function runAudit(options: AuditOptions, io: AppIo): Promise<AuditOutcome> {
  const policySet = await loadPolicySet({ ...options, scanPaths: [] }, io)
  const { config, policies } = policySet
  const resolver = policySet.resolverAt(io.now())
  const client = clusterClient(options, io)
  try {
    const resources: LocatedResource[] = []
    const toResource = liveResources(client.access.context)
    const { diagnostics } = await collectLive(client, {
      kinds: policyKinds(policies),
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
      onObject: (object) =>
        resources.push(toResource(object, liveEnvironment(object, client.access, resolver, options.env))),
    })
    const result = checkResources(resources, [], [...policySet.diagnostics, ...(diagnostics as Diagnostic[])], {
      policies,
      resolver,
      ...(options.env === undefined ? {} : { environment: options.env }),
      collectChecks: options.collectChecks === true || options.writeReports === true,
    })
    // Code frames: the YAML of each object that has a finding, written only for those.
    const byFile = new Map(options.codeFrames === true ? resources.map((r) => [r.file, r.object]) : [])
    resources.length = 0
    const sources = new Map(result.sources)
    for (const f of result.findings) {
      const object = f.span ? byFile.get(f.span.file) : undefined
      if (f.span && object && !sources.has(f.span.file)) sources.set(f.span.file, liveText(object))
    }
    const complete = redactedResult({ ...result, sources })
    const reports = options.writeReports ? await writePolicyReports(client, complete, options.namespace) : undefined
    const failOn = options.failOn ?? config.failOn
    return {
      result: complete,
      config,
      rule: { ...(failOn ? { failOn } : {}), ...(config.errors ? { errors: config.errors } : {}) },
      ...(reports ? { reports } : {}),
    }
  } finally {
    client.close()
  }
}
