/**
 * Hole: every CEL expression of a ValidatingAdmissionPolicy had its own cost limit, charged
 * after the value was built, so a chain of variables each doubling a list grew to tens of
 * millions of elements (10 s and 1.7 GB at 26 levels) and, under failurePolicy Ignore,
 * ended in a silent pass. Now all expressions of one policy on one resource share one
 * budget, concatenation is paid for before it allocates, and running out is an error
 * finding whatever the failurePolicy.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { findingsOf, scanInChild, tempDir, writeFiles } from './hostile-fixtures.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const LEVELS = 24
const variables = Array.from({ length: LEVELS + 1 }, (_, i) =>
  i === 0
    ? '    - name: l0\n      expression: "[1, 2]"'
    : `    - name: l${i}\n      expression: "variables.l${i - 1} + variables.l${i - 1}"`,
).join('\n')

const DOUBLING_POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: doubling
spec:
  failurePolicy: Ignore
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [pods]
  variables:
${variables}
  validations:
    - expression: "size(variables.l${LEVELS}) > 0"
      message: never false
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: doubling
spec:
  policyName: doubling
  validationActions: [Deny]
`

describe('a ValidatingAdmissionPolicy whose variables double a list 24 times', () => {
  it('is stopped by the evaluation budget before the list is built, as an error finding, not a silent pass', () => {
    const { dir, remove } = tempDir('palisade-cel-doubling-')
    cleanup = remove
    writeFiles(dir, {
      'policies/doubling.yaml': DOUBLING_POLICY,
      'manifests/pod.yaml': JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] },
      }),
    })
    const run = scanInChild(dir, ['manifests', '--policy-dir', 'policies', '--format', 'json', '--no-render'], 60_000)
    expect(run.signal, 'the scan was killed after 60 s').toBeNull()
    const findings = findingsOf(run.stdout).filter((f) => f.policy === 'doubling')
    expect(findings.map((f) => [f.resource.name, f.status, f.messageId])).toEqual([['web', 'error', 'evaluationLimit']])
    expect(findings[0]?.message).toMatch(/cost limit/)
  })
})
