import { describe, expect, it } from 'vitest'
import { compilePolicy, definePolicy, evaluate, indexPolicies, selectPolicies, type PolicySpec } from './index.js'

const base = {
  title: 't',
  summary: 's',
  rationale: 'r',
  severity: 'high',
  category: 'workload',
  controls: [{ framework: 'nist', control: 'CM-6' }],
} as const

const replicas = definePolicy({
  ...base,
  id: 'require-two-replicas',
  messages: { few: 'Deployment {{name}} has {{n}} replicas.' },
  match: { kinds: ['apps/Deployment'] },
  rules: [
    {
      messageId: 'few',
      path: '/spec/replicas',
      expression: 'object.spec.replicas >= 2',
      data: { name: 'object.metadata.name', n: 'object.spec.replicas' },
    },
  ],
})

const compile = (spec: PolicySpec) => {
  const result = compilePolicy(spec)
  if (!result.policy) throw new Error(result.diagnostics.map((d) => d.message).join('\n'))
  return result.policy
}

const deployment = (replicas: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas },
})

describe('compile and evaluate', () => {
  it('reports a failing rule with its rendered message and path', () => {
    const outcome = compile(replicas).evaluate(deployment(1), {})
    expect(outcome?.status).toBe('fail')
    expect(outcome?.violations).toEqual([
      expect.objectContaining({
        policyId: 'require-two-replicas',
        messageId: 'few',
        message: 'Deployment web has 1 replicas.',
        path: '/spec/replicas',
        status: 'fail',
        severity: 'high',
      }),
    ])
  })

  it('passes a compliant resource and ignores kinds it does not match', () => {
    const policy = compile(replicas)
    expect(policy.evaluate(deployment(3), {})).toEqual({ status: 'pass', violations: [] })
    expect(policy.evaluate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } }, {})).toBeUndefined()
    expect(
      policy.evaluate({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'x' } }, {}),
    ).toBeUndefined()
  })

  it('gives status error, never a pass, when an expression cannot be evaluated', () => {
    const outcome = compile(replicas).evaluate(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} },
      {},
    )
    expect(outcome?.status).toBe('error')
    expect(outcome?.violations[0]).toEqual(expect.objectContaining({ status: 'error', messageId: 'few' }))
  })

  it('gives status error when an expression returns something other than a bool', () => {
    const policy = compile({
      ...replicas,
      id: 'x',
      rules: [{ messageId: 'few', expression: 'object.spec.replicas', data: { name: '""', n: '0' } }],
    })
    expect(policy.evaluate(deployment(2), {})?.status).toBe('error')
  })

  it('reports CEL compile errors, unknown message ids and placeholders without data as diagnostics', () => {
    const bad = compilePolicy({ ...replicas, id: 'bad', rules: [{ messageId: 'nope', expression: 'object.spec.(' }] })
    expect(bad.policy).toBeUndefined()
    expect(bad.diagnostics.map((d) => d.code).sort()).toEqual(['CEL_COMPILE', 'POLICY_INVALID'])
    const noData = compilePolicy({ ...replicas, id: 'bad2', rules: [{ messageId: 'few', expression: 'true' }] })
    expect(noData.diagnostics.map((d) => d.message).join()).toMatch(/\{\{name\}\}/)
    const unknownVariable = compilePolicy({
      ...replicas,
      id: 'bad3',
      rules: [{ messageId: 'few', expression: 'objekt.spec.replicas > 1', data: { name: '""', n: '""' } }],
    })
    expect(unknownVariable.diagnostics[0]?.code).toBe('CEL_COMPILE')
  })

  it('applies params from configuration over defaults, and rejects unknown ones', () => {
    const spec = definePolicy({
      ...base,
      id: 'min-replicas',
      params: { min: { description: 'minimum', default: 2 } },
      messages: { few: 'few' },
      match: { kinds: ['Deployment'] },
      rules: [{ messageId: 'few', expression: 'object.spec.replicas >= params.min' }],
    })
    expect(compilePolicy(spec).policy?.evaluate(deployment(3), {})?.status).toBe('pass')
    expect(compilePolicy(spec, { params: { min: 5 } }).policy?.evaluate(deployment(3), {})?.status).toBe('fail')
    expect(compilePolicy(spec, { params: { max: 5 } }).diagnostics[0]?.code).toBe('POLICY_INVALID')
  })

  it('evaluates variables lazily, once, and only when read', () => {
    const spec = definePolicy({
      ...base,
      id: 'vars',
      messages: { m: 'm' },
      match: { kinds: ['Deployment'] },
      variables: [
        { name: 'boom', expression: 'object.spec.missing.field' },
        { name: 'n', expression: 'object.spec.replicas' },
      ],
      rules: [{ messageId: 'm', expression: 'variables.n >= 2' }],
    })
    expect(compile(spec).evaluate(deployment(2), {})?.status).toBe('pass')
  })

  it('honours match namespaces, environments and conditions', () => {
    const spec = definePolicy({
      ...replicas,
      id: 'scoped',
      match: {
        kinds: ['Deployment'],
        namespaces: ['sh*'],
        environments: ['production'],
        condition: 'object.metadata.name != "skip"',
      },
    })
    const policy = compile(spec)
    expect(policy.evaluate(deployment(1), { environment: 'production' })?.status).toBe('fail')
    expect(policy.evaluate(deployment(1), { environment: 'staging' })).toBeUndefined()
    expect(policy.evaluate(deployment(1), {})).toBeUndefined()
    expect(
      policy.evaluate(
        { ...deployment(1), metadata: { name: 'web', namespace: 'other' } },
        { environment: 'production' },
      ),
    ).toBeUndefined()
    expect(
      policy.evaluate(
        { ...deployment(1), metadata: { name: 'skip', namespace: 'shop' } },
        { environment: 'production' },
      ),
    ).toBeUndefined()
  })
})

describe('pod templates', () => {
  const spec = definePolicy({
    ...base,
    id: 'no-host-network',
    messages: { m: 'host network in {{kind}}' },
    match: { kinds: ['Pod'], includePodTemplates: true },
    rules: [
      {
        messageId: 'm',
        path: '/spec/hostNetwork',
        expression: 'object.spec.?hostNetwork.orValue(false) == false',
        data: { kind: 'object.kind' },
      },
    ],
  })
  const podSpec = { hostNetwork: true, containers: [] }
  const cases: [string, Record<string, unknown>, string][] = [
    ['Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec }, '/spec/hostNetwork'],
    [
      'Deployment',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: podSpec } } },
      '/spec/template/spec/hostNetwork',
    ],
    [
      'StatefulSet',
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'd' }, spec: { template: { spec: podSpec } } },
      '/spec/template/spec/hostNetwork',
    ],
    [
      'DaemonSet',
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: { spec: podSpec } } },
      '/spec/template/spec/hostNetwork',
    ],
    [
      'ReplicaSet',
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'd' }, spec: { template: { spec: podSpec } } },
      '/spec/template/spec/hostNetwork',
    ],
    [
      'ReplicationController',
      {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata: { name: 'd' },
        spec: { template: { spec: podSpec } },
      },
      '/spec/template/spec/hostNetwork',
    ],
    [
      'Job',
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'd' }, spec: { template: { spec: podSpec } } },
      '/spec/template/spec/hostNetwork',
    ],
    [
      'CronJob',
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'd' },
        spec: { jobTemplate: { spec: { template: { spec: podSpec } } } },
      },
      '/spec/jobTemplate/spec/template/spec/hostNetwork',
    ],
  ]
  for (const [kind, object, path] of cases) {
    it(`checks the pod template of a ${kind}, with paths into the template`, () => {
      const [evaluation] = evaluate(indexPolicies([compile(spec)]), object)
      expect(evaluation?.outcome.violations).toEqual([
        expect.objectContaining({ path, message: 'host network in Pod' }),
      ])
    })
  }
  it('ignores workloads without a template', () => {
    expect(
      evaluate(indexPolicies([compile(spec)]), {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: {},
      }),
    ).toEqual([])
  })
})

describe('stable paths', () => {
  it('names list items so fingerprints survive reordering', () => {
    const spec = definePolicy({
      ...base,
      id: 'images',
      messages: { m: 'm' },
      match: { kinds: ['Pod'] },
      forEach: { paths: ['/spec/containers'], as: 'c' },
      rules: [{ messageId: 'm', path: '/image', expression: '!c.image.endsWith(":latest")' }],
    })
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', image: 'a:1' },
          { name: 'b', image: 'b:latest' },
        ],
      },
    }
    const v = compile(spec).evaluate(pod, {})?.violations[0]
    expect(v?.path).toBe('/spec/containers/1/image')
    expect(v?.stablePath).toBe('/spec/containers/[b]/image')
  })
})

describe('selectPolicies', () => {
  const specs = [
    { id: 'a', sets: ['pss-baseline'] },
    { id: 'b', sets: ['pss-baseline', 'pss-restricted'] },
    { id: 'c', sets: ['best-practices'] },
    { id: 'd', stage: 'experimental' as const, sets: ['best-practices'] },
  ]
  it('resolves sets and ids, keeps experimental policies out of sets', () => {
    expect(selectPolicies(specs, 'all').selected.map((p) => p.id)).toEqual(['a', 'b', 'c'])
    expect(selectPolicies(specs, 'pss-restricted,c').selected.map((p) => p.id)).toEqual(['b', 'c'])
    expect(selectPolicies(specs, 'd').selected.map((p) => p.id)).toEqual(['d'])
  })
  it('reports unknown names', () => {
    expect(selectPolicies(specs, 'all,nope').diagnostics[0]).toEqual(expect.objectContaining({ code: 'USAGE' }))
  })
})
