import { describe, expect, it } from 'vitest'
import { applyFixOperations } from '../../../engine/index.js'
import { objects, policyOf, run } from '../../test-helpers.test-support.js'

const mpol = (spec: string): string => `apiVersion: policies.kyverno.io/v1alpha1
kind: MutatingPolicy
metadata: {name: m}
spec:
${spec}`

const pods = `  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
`

const pod = objects(`apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
spec:
  containers:
  - name: app
    image: nginx
    args: [a, b]
    ports: [{containerPort: 80}]
  - {name: side, image: envoy}
`)[0] as Record<string, unknown>

const applyConfiguration = (expression: string): string => `  mutations:
  - patchType: ApplyConfiguration
    applyConfiguration:
      expression: ${JSON.stringify(expression)}
`
const jsonPatch = (...expressions: string[]): string => `  mutations:
${expressions.map((e) => `  - patchType: JSONPatch\n    jsonPatch:\n      expression: ${JSON.stringify(e)}\n`).join('')}`

const first = (r: ReturnType<typeof run>): { status: string; message: string } =>
  r.responses[0] ?? { status: 'none', message: '' }

describe('MutatingPolicy ApplyConfiguration, merged as server-side apply', () => {
  it('merges maps, merges containers by name keeping what it does not name, replaces atomic lists', () => {
    const p = policyOf(
      mpol(
        pods +
          applyConfiguration(`Object{
      metadata: Object.metadata{labels: {"team": "a"}},
      spec: Object.spec{containers: [Object.spec.containers{name: "app", args: ["c"], ports: [Object.spec.containers.ports{containerPort: 80, name: "http"}]},
                                    Object.spec.containers{name: "new", image: "busybox"}]}}`),
      ),
    )
    const r = run(p, pod)
    expect(first(r).status).toBe('pass')
    expect(r.patched.metadata).toEqual({ name: 'web', namespace: 'prod', labels: { app: 'web', team: 'a' } })
    expect((r.patched.spec as { containers: unknown[] }).containers).toEqual([
      { name: 'app', image: 'nginx', args: ['c'], ports: [{ containerPort: 80, name: 'http' }] },
      { name: 'side', image: 'envoy' },
      { name: 'new', image: 'busybox' },
    ])
  })

  it('hands the mutation on as RFC 6902 operations that give the patched object', () => {
    const p = policyOf(
      mpol(
        pods +
          applyConfiguration(
            'Object{spec: Object.spec{containers: object.spec.containers.map(c, Object.spec.containers{name: c.name, image: "reg.io/" + c.image})}}',
          ),
      ),
    )
    const r = run(p, pod)
    const patch = r.responses[0]?.patch ?? []
    expect(patch).toEqual([
      { op: 'replace', path: '/spec/containers/0/image', value: 'reg.io/nginx' },
      { op: 'replace', path: '/spec/containers/1/image', value: 'reg.io/envoy' },
    ])
    expect(applyFixOperations(pod, patch)).toEqual(r.patched)
  })
})

describe('MutatingPolicy JSONPatch', () => {
  it('applies operations in order; a later mutation sees the object the earlier one left, variables included', () => {
    const p = policyOf(
      mpol(`${pods}  variables:
  - {name: hasSc, expression: "has(object.spec.securityContext)"}
${jsonPatch('variables.hasSc ? [] : [JSONPatch{op: "add", path: "/spec/securityContext", value: {}}]', 'variables.hasSc ? [JSONPatch{op: "add", path: "/spec/securityContext/runAsNonRoot", value: true}] : []')}`),
    )
    const r = run(p, pod)
    expect(first(r).status).toBe('pass')
    expect((r.patched.spec as Record<string, unknown>).securityContext).toEqual({ runAsNonRoot: true })
  })

  it('is strict RFC 6902 as the API server applies it: an add under a missing parent is an error and mutates nothing', () => {
    const p = policyOf(
      mpol(pods + jsonPatch('[JSONPatch{op: "add", path: "/spec/securityContext/runAsNonRoot", value: true}]')),
    )
    const r = run(p, pod)
    expect(first(r)).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/parent does not exist/) as unknown,
    })
    expect(r.patched).toEqual(pod)
  })

  it('never produces an object the API server would reject: the result is an error', () => {
    const p = policyOf(
      mpol(pods + jsonPatch('[JSONPatch{op: "add", path: "/spec/containers/0/imagePullPolicy", value: "Sometimes"}]')),
    )
    const r = run(p, pod)
    expect(first(r)).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/API server rejects: .*imagePullPolicy/) as unknown,
    })
    expect(r.patched).toEqual(pod)
  })
})

describe('MutatingPolicy matching and autogen', () => {
  it('a false matchCondition is a skip, another resource gets no response', () => {
    const p = policyOf(
      mpol(`${pods}  matchConditions:
  - {name: labelled, expression: "has(object.metadata.labels.team)"}
${applyConfiguration('Object{metadata: Object.metadata{labels: {"x": "y"}}}')}`),
    )
    expect(first(run(p, pod))).toMatchObject({ status: 'skip', message: 'match condition labelled not met' })
    expect(run(p, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }).responses).toEqual([])
  })

  it('mutates the pod template of controllers, keeping the workload name', () => {
    const p = policyOf(
      mpol(
        pods +
          applyConfiguration(
            'Object{metadata: Object.metadata{annotations: {"a": object.metadata.name}}, spec: Object.spec{containers: object.spec.containers.map(c, Object.spec.containers{name: c.name, image: "r/" + c.image})}}',
          ),
      ),
    )
    const deployment = objects(`apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: app, image: nginx}]
`)[0] as Record<string, unknown>
    const r = run(p, deployment)
    expect(first(r).status).toBe('pass')
    expect(r.patched.spec).toEqual({
      template: {
        metadata: { labels: { app: 'api' }, annotations: { a: 'api' } },
        spec: { containers: [{ name: 'app', image: 'r/nginx' }] },
      },
    })
    const cron = objects(`apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec: {schedule: "@daily", jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: x}]}}}}}
`)[0] as Record<string, unknown>
    const jp = policyOf(
      mpol(pods + jsonPatch('[JSONPatch{op: "add", path: "/spec/containers/0/imagePullPolicy", value: "Always"}]')),
    )
    expect((run(jp, cron).patched.spec as { jobTemplate: unknown }).jobTemplate).toEqual({
      spec: { template: { spec: { containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Always' }] } } },
    })
  })

  it('a matchCondition that cannot be evaluated is a skip under failurePolicy Ignore and an error under Fail', () => {
    const policy = (failurePolicy: string): string =>
      mpol(`  failurePolicy: ${failurePolicy}
${pods}  matchConditions:
  - {name: broken, expression: "object.spec.nope == 1"}
${applyConfiguration('Object{metadata: Object.metadata{labels: {"x": "y"}}}')}`)
    expect(first(run(policyOf(policy('Ignore')), pod)).status).toBe('skip')
    expect(first(run(policyOf(policy('Fail')), pod))).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/no such key: nope/) as unknown,
    })
  })
})
