/**
 * Hole: CEL `matches()` ran quantifier-free RE2 patterns on a JS RegExp as a fast path, but
 * without quantifiers a backtracking engine still tries every path through the
 * alternations: `(a|aa)` thirty-six times over has tens of billions of them per start position.
 * Patterns with more than 256 paths now stay with RE2 (re2js, linear).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { findingsOf, scanInChild, tempDir, writeFiles } from './hostile-fixtures.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const PATTERN = `^${'(a|aa)'.repeat(36)}$`
const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: name-shape
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [configmaps]
  validations:
    - expression: "object.metadata.name.matches('${PATTERN}')"
      message: the name does not have the expected shape
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: name-shape
spec:
  policyName: name-shape
  validationActions: [Deny]
`
const configMap = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: {} })

describe('a CEL matches() whose quantifier-free pattern has exponentially many alternation paths', () => {
  it('judges a name that almost matches in time', () => {
    const { dir, remove } = tempDir('palisade-cel-regex-')
    cleanup = remove
    writeFiles(dir, {
      'policies/name-shape.yaml': POLICY,
      'manifests/near-miss.yaml': configMap(`${'a'.repeat(72)}b`),
      'manifests/fits.yaml': configMap('a'.repeat(54)),
    })
    const run = scanInChild(dir, ['manifests', '--policy-dir', 'policies', '--format', 'json', '--no-render'], 60_000)
    expect(run.signal, 'the scan was killed after 60 s').toBeNull()
    const failing = findingsOf(run.stdout)
      .filter((f) => f.policy === 'name-shape')
      .map((f) => [f.resource.name, f.status])
    expect(failing).toEqual([[`${'a'.repeat(72)}b`, 'fail']])
  })
})
