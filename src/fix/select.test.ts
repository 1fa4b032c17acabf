import { describe, expect, it } from 'vitest'
import type { FixProposal, KubeObject } from '../core/index.js'
import { selectFixes, type FixableFinding } from './index.js'

const pod = (securityContext: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'x', securityContext }] },
})
const finding = (
  policyId: string,
  safety: FixProposal['safety'],
  op: FixProposal['patch'][number],
  extra: Partial<FixableFinding> = {},
): FixableFinding => ({ policyId, path: op.path, status: 'fail', fix: { safety, patch: [op] }, ...extra })
const sc = '/spec/containers/0/securityContext'
const escalation = finding('disallow-privilege-escalation', 'safe', {
  op: 'add',
  path: `${sc}/allowPrivilegeEscalation`,
  value: false,
})
const nonRoot = finding('require-run-as-non-root', 'unsafe', { op: 'add', path: `${sc}/runAsNonRoot`, value: true })
const drop = finding('require-drop-all-capabilities', 'unsafe', {
  op: 'add',
  path: `${sc}/capabilities/drop/-`,
  value: 'ALL',
})
const pull = finding('require-image-pull-policy-always', 'safe', {
  op: 'add',
  path: '/spec/containers/0/imagePullPolicy',
  value: 'Always',
})

describe('selectFixes (the fix model of palisade fix and /mutate)', () => {
  it('applies safe fixes, and unsafe ones only when asked', () => {
    const safe = selectFixes(pod(), [escalation, nonRoot, pull], { unsafe: false })
    expect(safe.applied).toEqual([escalation, pull])
    expect(safe.left).toEqual([{ item: nonRoot, reason: 'unsafe' }])
    expect(selectFixes(pod(), [escalation, nonRoot, pull], { unsafe: true }).applied).toEqual([
      escalation,
      nonRoot,
      pull,
    ])
  })

  it('never gives an object the API server rejects: no allowPrivilegeEscalation false with privileged true', () => {
    const s = selectFixes(pod({ privileged: true }), [escalation, pull], { unsafe: false })
    expect(s.applied).toEqual([pull])
    expect(s.left[0]).toMatchObject({ item: escalation, reason: 'invalid' })
    expect(s.result).toMatchObject({ spec: { containers: [{ securityContext: { privileged: true } }] } })
  })

  it('applies the restricted set as one change: when one of it cannot go, none of it goes', () => {
    const s = selectFixes(pod({ privileged: true }), [escalation, nonRoot, drop], { unsafe: true })
    expect(s.applied).toEqual([])
    expect(s.left.map((l) => [l.item.policyId, l.reason])).toEqual([
      ['disallow-privilege-escalation', 'invalid'],
      ['require-run-as-non-root', 'incoherent'],
      ['require-drop-all-capabilities', 'incoherent'],
    ])
  })

  it('an append under a missing list creates the list', () => {
    const s = selectFixes(pod(), [drop], { unsafe: true })
    expect(s.result).toMatchObject({ spec: { containers: [{ securityContext: { capabilities: { drop: ['ALL'] } } }] } })
  })

  it('leaves waived findings, findings without a fix and fixes already known invalid', () => {
    const waived = { ...pull, waiver: { source: 'config' as const, reason: 'r' } }
    const noFix: FixableFinding = { policyId: 'require-liveness-probe', path: '/spec', status: 'fail' }
    const invalid = { ...pull, fix: { safety: 'unsafe' as const, patch: pull.fix?.patch ?? [], invalid: ['bad'] } }
    expect(selectFixes(pod(), [waived, noFix, invalid], { unsafe: true }).left.map((l) => l.reason)).toEqual([
      'waived',
      'no-fix',
      'invalid',
    ])
  })
})
