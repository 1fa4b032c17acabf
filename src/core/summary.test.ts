import { describe, expect, it } from 'vitest'
import { countsOf, summarize, type Diagnostic, type Finding } from './index.js'

const finding = (severity: Finding['severity'], action: Finding['action'], waived = false): Finding =>
  ({
    policyId: 'p',
    messageId: 'm',
    message: 'x',
    status: 'fail',
    severity,
    action,
    path: '',
    stablePath: '',
    resource: { apiVersion: 'v1', kind: 'Pod', name: 'a' },
    controls: [],
    category: 'c',
    fingerprint: 'f',
    ...(waived ? { waiver: { source: 'config', reason: 'r' } } : {}),
  }) as Finding

describe('summarize', () => {
  it('counts findings by severity and action, waived ones apart, and error diagnostics only', () => {
    const diagnostics: Diagnostic[] = [
      { code: 'YAML_SYNTAX', message: 'bad' },
      { code: 'WAIVER_EXPIRED', severity: 'warning', message: 'old' },
    ]
    const counts = { files: 3, resources: 4, policies: 5, checks: { pass: 6, fail: 2, error: 0, skip: 1 } }
    const summary = summarize(
      counts,
      [finding('high', 'deny'), finding('low', 'warn'), finding('critical', 'deny', true)],
      diagnostics,
    )
    expect(summary).toEqual({
      files: 3,
      resources: 4,
      policies: 5,
      checks: { pass: 6, fail: 2, error: 0, skip: 1 },
      findings: 3,
      bySeverity: { info: 0, low: 1, medium: 0, high: 1, critical: 0 },
      byAction: { audit: 0, warn: 1, deny: 1 },
      waived: 1,
      errors: 1,
    })
  })

  it('does not share the counts it was given (a summary made from another stays apart)', () => {
    const first = summarize(
      { files: 1, resources: 1, policies: 1, checks: { pass: 1, fail: 0, error: 0, skip: 0 } },
      [],
      [],
    )
    const counts = countsOf(first)
    counts.checks.pass = 9
    const second = summarize(counts, [finding('info', 'audit')], [])
    expect(first.checks.pass).toBe(1)
    expect(second.checks.pass).toBe(9)
    expect(second.byAction.audit).toBe(1)
  })
})
