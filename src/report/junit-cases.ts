import {
  formatResourceRef,
  type CheckRecord,
  type CheckResult,
  type Finding,
  type ResourceRef,
  type Status,
} from '../core/index.js'
import { sortFindings } from './ordering.js'

/** One policy on one resource in one file: a JUnit testcase. */
export interface JunitCase {
  policyId: string
  resource: ResourceRef
  file?: string
  status: Status
  /** Findings of this policy on this resource, in report order. */
  findings: Finding[]
}

const caseKey = (policyId: string, ref: ResourceRef, file: string | undefined): string =>
  JSON.stringify([policyId, ref.apiVersion, ref.kind, ref.namespace ?? '', ref.name, file ?? ''])

/** The outcome implied by a case's findings: error beats fail; all waived is skip. */
function statusOf(findings: readonly Finding[]): Status {
  const open = findings.filter((f) => !f.waiver)
  if (open.length === 0) return 'skip'
  return open.some((f) => f.status === 'error') ? 'error' : 'fail'
}

/**
 * Testcases grouped by policy (sorted by id), each group sorted by file and resource.
 * With `result.checks` every evaluation is a case, passes included; without, only the
 * policy × resource pairs that have findings.
 */
export function junitCases(result: CheckResult): Map<string, JunitCase[]> {
  const cases = new Map<string, JunitCase>()
  for (const check of result.checks ?? [])
    cases.set(caseKey(check.policyId, check.resource, check.file), fromCheck(check))
  for (const finding of sortFindings(result.findings)) {
    const file = finding.span?.file
    const key = caseKey(finding.policyId, finding.resource, file)
    const existing = cases.get(key)
    if (existing) existing.findings.push(finding)
    else
      cases.set(key, {
        policyId: finding.policyId,
        resource: finding.resource,
        ...(file === undefined ? {} : { file }),
        status: 'fail',
        findings: [finding],
      })
  }
  const byPolicy = new Map<string, JunitCase[]>()
  const sorted = [...cases.values()].sort(
    (a, b) =>
      compare(a.policyId, b.policyId) ||
      compare(a.file ?? '\uffff', b.file ?? '\uffff') ||
      compare(formatResourceRef(a.resource), formatResourceRef(b.resource)),
  )
  for (const c of sorted) {
    // Findings decide when there are any: a check record and its findings can only disagree through a bug upstream.
    if (c.findings.length > 0) c.status = statusOf(c.findings)
    const list = byPolicy.get(c.policyId) ?? []
    list.push(c)
    byPolicy.set(c.policyId, list)
  }
  return byPolicy
}

function fromCheck(check: CheckRecord): JunitCase {
  return {
    policyId: check.policyId,
    resource: check.resource,
    ...(check.file === undefined ? {} : { file: check.file }),
    status: check.status,
    findings: [],
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
