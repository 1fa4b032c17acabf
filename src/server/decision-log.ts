import type { AdmissionRequest } from './admission-review.js'
import type { Decision } from './decide.js'

/** One line of the decision log (JSON lines); a store replaces the file later. */
export interface DecisionRecord {
  time: string
  uid: string
  webhook: 'validate' | 'mutate'
  operation: AdmissionRequest['operation']
  /** Dry-run requests were evaluated and answered, but nothing was enforced. */
  dryRun: boolean
  enforced: boolean
  kind: string
  namespace?: string
  name?: string
  user?: string
  environment?: string
  generation: number
  allowed: boolean
  findings: { policy: string; action: string; status: string; path: string; severity: string; waived?: true }[]
  patch?: number
  evaluationError?: string
}

/** The decision log record of one decided request. */
export function decisionRecord(
  request: AdmissionRequest,
  decision: Decision,
  webhook: 'validate' | 'mutate',
  generation: number,
  time: Date,
): DecisionRecord {
  const record: DecisionRecord = {
    time: time.toISOString(),
    uid: request.uid,
    webhook,
    operation: request.operation,
    dryRun: request.dryRun,
    enforced: !request.dryRun,
    kind: request.kind.kind,
    generation,
    allowed: decision.response.allowed,
    findings: decision.findings.map((f) => ({
      policy: f.policyId,
      action: f.action,
      status: f.status,
      path: f.path,
      severity: f.severity,
      ...(f.waiver ? { waived: true as const } : {}),
    })),
  }
  if (request.namespace) record.namespace = request.namespace
  if (request.name) record.name = request.name
  if (request.userInfo?.username) record.user = request.userInfo.username
  if (decision.environment !== undefined) record.environment = decision.environment
  if (decision.patch) record.patch = decision.patch.length
  if (decision.evaluationError !== undefined) record.evaluationError = decision.evaluationError
  return record
}
