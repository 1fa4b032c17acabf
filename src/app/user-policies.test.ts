import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createResolver, type PalisadeConfig } from '../config/index.js'
import { indexPolicies } from '../engine/index.js'
import { checkSources } from '../pipeline/index.js'
import { loadUserPolicies, withDeclaredActions } from './user-policies.js'

const config: PalisadeConfig = {
  root: '.',
  policies: { select: 'all', disable: [], params: {} },
  actions: {},
  environments: [],
  waivers: [],
} as unknown as PalisadeConfig

describe('scan --policy-dir', () => {
  it('runs Kyverno policies and VAPs from the folder; bad ones are diagnostics with file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-pd-'))
    writeFileSync(
      path.join(dir, 'kyverno.yaml'),
      `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-privileged
  annotations: {policies.kyverno.io/severity: high}
spec:
  validationFailureAction: Enforce
  rules:
  - name: privileged
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: no privileged containers
      pattern:
        spec:
          containers:
          - =(securityContext):
              =(privileged): false
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: broken}
spec: {}
`,
    )
    writeFileSync(
      path.join(dir, 'vap.yaml'),
      `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations: [{expression: "object.spec.replicas <= 3", message: too many}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicas}
spec: {policyName: replicas, validationActions: [Warn]}
`,
    )
    const user = await loadUserPolicies(dir, dir, () => new Date(0))
    expect(user.diagnostics.map((d) => `${d.span?.file}:${d.span?.start.line}`)).toEqual(['kyverno.yaml:19'])
    expect(user.compiled.map((p) => p.meta.id).sort()).toEqual(['no-privileged', 'replicas'])
    const manifest = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    securityContext:
      privileged: true
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  replicas: 5
  template:
    spec:
      containers: [{name: a}]
`
    const resolver = withDeclaredActions(createResolver(config, new Date(0)), config, user.declared)
    const result = checkSources([{ path: 'app.yaml', text: manifest }], {
      policies: indexPolicies(user.compiled),
      resolver,
    })
    const findings = result.findings.map(
      (f) => `${f.policyId} ${f.status} ${f.action} ${f.severity} ${f.span?.file}:${f.span?.start.line}`,
    )
    expect(findings).toEqual(['no-privileged fail deny high app.yaml:8', 'replicas fail warn medium app.yaml:10'])
  })

  it('at admission, a Kyverno rule sees the real request: its operation, oldObject and user (exclude.subjects)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-pd-req-'))
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: labels-on-update}
spec:
  validationFailureAction: Enforce
  rules:
  - name: team-label
    match: {any: [{resources: {kinds: [ConfigMap]}}]}
    exclude: {any: [{subjects: [{kind: User, name: "system:serviceaccount:kube-system:replicaset-controller"}]}]}
    preconditions:
      all:
      - {key: "{{ request.operation }}", operator: Equals, value: UPDATE}
      - {key: "{{ request.oldObject.metadata.labels.team || '' }}", operator: NotEquals, value: ""}
    validate:
      message: the team label cannot be removed
      pattern: {metadata: {labels: {team: "?*"}}}
`,
    )
    const [policy] = (await loadUserPolicies(dir, dir, () => new Date('2026-12-05T00:00:00Z'))).compiled
    const before = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop', labels: { team: 'web' } },
    }
    const after = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } }
    const request = (operation: string, username: string) => ({
      request: { operation, userInfo: { username, groups: ['system:authenticated'] } },
      oldObject: operation === 'UPDATE' ? before : null,
    })
    expect(policy?.evaluate(after, request('UPDATE', 'alice'))?.status).toBe('fail')
    // The excluded controller may; a CREATE does not meet the precondition; a scan (no request) is a CREATE by nobody.
    expect(
      policy?.evaluate(after, request('UPDATE', 'system:serviceaccount:kube-system:replicaset-controller'))?.status,
    ).not.toBe('fail')
    expect(policy?.evaluate(after, request('CREATE', 'alice'))?.status).not.toBe('fail')
    expect(policy?.evaluate(after, {})?.status).not.toBe('fail')
  })
})
