import type { CheckRecord, CheckResult, Finding, ResourceRef } from '../core/index.js'
import type { FormatOptions } from './types.js'

/** Label on every report Palisade writes, so `audit --write-reports` finds and replaces its own. */
export const POLICY_REPORT_LABEL = 'app.kubernetes.io/managed-by'
export const POLICY_REPORT_MANAGER = 'palisade'
/** Name of the PolicyReport in each namespace and of the ClusterPolicyReport. */
export const POLICY_REPORT_NAME = 'palisade'

type Result = 'pass' | 'fail' | 'warn' | 'error' | 'skip'

interface ReportResult {
  policy: string
  rule?: string
  result: Result
  severity?: string
  category?: string
  message?: string
  source: 'palisade'
  resources: Array<{ apiVersion: string; kind: string; name: string; namespace?: string }>
  properties?: Record<string, string>
}

/**
 * `--format policyreport`: the result as wgpolicyk8s.io/v1alpha2 reports, as Kyverno writes
 * them: one PolicyReport per namespace and one ClusterPolicyReport for cluster-scoped objects
 * (and objects whose namespace is not known), in a `v1` List that `kubectl apply -f` takes.
 * A deny finding is `fail`, warn and audit are `warn`, an evaluation error is `error`, a
 * waived finding `skip`; passes are listed when the run kept its pass records.
 */
export function formatPolicyReport(result: CheckResult, _options: FormatOptions): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: policyReports(result) }, null, 2)}\n`
}

/** The PolicyReport / ClusterPolicyReport objects of a result (for writing them to a cluster). */
export function policyReports(result: CheckResult): Array<Record<string, unknown>> {
  const byNamespace = new Map<string, ReportResult[]>()
  const add = (namespace: string | undefined, entry: ReportResult): void => {
    const key = namespace ?? ''
    const list = byNamespace.get(key)
    if (list) list.push(entry)
    else byNamespace.set(key, [entry])
  }
  for (const finding of result.findings) add(finding.resource.namespace, findingResult(finding, result))
  const failing = new Set(result.findings.map((f) => `${f.policyId}\u0000${refKey(f.resource)}`))
  for (const check of result.checks ?? []) {
    if (check.status !== 'pass' || failing.has(`${check.policyId}\u0000${refKey(check.resource)}`)) continue
    add(check.resource.namespace, passResult(check, result))
  }
  const reports: Array<Record<string, unknown>> = []
  for (const namespace of [...byNamespace.keys()].sort()) {
    // A total order, so the report does not depend on the order findings came in.
    const results = (byNamespace.get(namespace) as ReportResult[])
      .map((r) => [sortKey(r), r] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, r]) => r)
    const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }
    for (const r of results) summary[r.result]++
    const metadata = {
      name: POLICY_REPORT_NAME,
      ...(namespace === '' ? {} : { namespace }),
      labels: { [POLICY_REPORT_LABEL]: POLICY_REPORT_MANAGER },
    }
    reports.push({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: namespace === '' ? 'ClusterPolicyReport' : 'PolicyReport',
      metadata,
      summary,
      results,
    })
  }
  return reports
}

function findingResult(f: Finding, result: CheckResult): ReportResult {
  const outcome: Result = f.waiver ? 'skip' : f.status === 'error' ? 'error' : f.action === 'deny' ? 'fail' : 'warn'
  const properties: Record<string, string> = { path: f.path, action: f.action, fingerprint: f.fingerprint }
  if (f.environment !== undefined) properties.environment = f.environment
  if (f.span) properties.location = `${f.span.file}:${f.span.start.line}:${f.span.start.column}`
  if (f.waiver) properties.waiver = f.waiver.reason
  return {
    policy: f.policyId,
    rule: f.messageId,
    result: outcome,
    severity: f.severity,
    category: result.policies.get(f.policyId)?.category ?? f.category,
    message: f.message,
    source: 'palisade',
    resources: [resourceOf(f.resource)],
    properties,
  }
}

function passResult(check: CheckRecord, result: CheckResult): ReportResult {
  const meta = result.policies.get(check.policyId)
  return {
    policy: check.policyId,
    result: 'pass',
    ...(meta ? { severity: meta.severity, category: meta.category } : {}),
    source: 'palisade',
    resources: [resourceOf(check.resource)],
  }
}

function resourceOf(ref: ResourceRef): ReportResult['resources'][number] {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
    ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
  }
}

function refKey(ref: ResourceRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`
}

function sortKey(r: ReportResult): string {
  const res = r.resources[0]
  return [
    res ? refKey(res) : '',
    r.policy,
    r.rule ?? '',
    r.properties?.path ?? '',
    r.result,
    r.properties?.fingerprint ?? '',
    r.message ?? '',
  ].join('\u0000')
}
