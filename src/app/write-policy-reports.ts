import { applyObjects, deleteObjects, discoverResources, type KubeClient } from '../cluster/index.js'
import { isRecord, ToolError, type CheckResult } from '../core/index.js'
import { POLICY_REPORT_LABEL, POLICY_REPORT_MANAGER, policyReports } from '../report/index.js'
import { masked } from './redact-result.js'

const GROUP = 'wgpolicyk8s.io'

/**
 * `audit --write-reports`: server-side apply one PolicyReport per namespace and one
 * ClusterPolicyReport, then delete Palisade's reports (by label) that this run did not
 * write, so the cluster holds exactly the latest result. Strings are masked first, as in
 * every printed report. With a namespace (audit -n), only that namespace's old report goes.
 */
export async function writePolicyReports(
  client: KubeClient,
  result: CheckResult,
  namespace?: string,
): Promise<{ written: number; removed: number }> {
  const { resources } = await discoverResources(client)
  const types = new Map(
    resources
      .filter((r) => r.group === GROUP && (r.kind === 'PolicyReport' || r.kind === 'ClusterPolicyReport'))
      .map((r) => [r.kind, r]),
  )
  const namespaced = types.get('PolicyReport')
  const cluster = types.get('ClusterPolicyReport')
  if (!namespaced || !cluster) {
    throw new ToolError('CLUSTER_FAILED', `the cluster does not serve ${GROUP} PolicyReport and ClusterPolicyReport`, {
      hint: 'install the PolicyReport CRDs (Kyverno installs them), or use --format policyreport',
    })
  }
  const reports = masked(policyReports(result)).map((r): Record<string, unknown> => ({
    ...r,
    apiVersion: `${GROUP}/${namespaced.version}`,
  }))
  await applyObjects(client, reports, (kind) => types.get(kind))
  const keep = new Set(
    reports.map((r) => {
      const meta = isRecord(r.metadata) ? r.metadata : {}
      return `${typeof meta.namespace === 'string' ? meta.namespace : ''}/${String(meta.name)}`
    }),
  )
  // With --namespace, only that namespace's report is replaced (the others were not audited).
  const removed =
    (await deleteObjects(client, namespaced, POLICY_REPORT_LABEL, POLICY_REPORT_MANAGER, keep, namespace)) +
    (await deleteObjects(client, cluster, POLICY_REPORT_LABEL, POLICY_REPORT_MANAGER, keep))
  return { written: reports.length, removed }
}
