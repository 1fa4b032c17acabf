import { describe, expect, it } from 'vitest'
import type { KubeObject, LocatedResource } from '../core/index.js'
import { compilePolicySet } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { ByteLog } from './byte-log.js'
import { runOutcomesFrom, type RunOutcomes } from './run-outcomes.js'
import { crossReadsDeclared, filePartsOf, RunParts } from './run-parts.js'

const located = (object: KubeObject, file: string): LocatedResource => ({
  object,
  file,
  document: 0,
  prefix: '',
  locate: () => ({ file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }),
})

const workload = (kind: string, name: string, namespace: string | undefined, spec: Record<string, unknown>) => {
  const pod = { spec: { containers: [{ name: 'app', image: 'x' }], ...spec } }
  const body =
    kind === 'Pod'
      ? pod
      : kind === 'CronJob'
        ? { spec: { jobTemplate: { spec: { template: pod } } } }
        : { spec: { template: { metadata: { labels: { app: name } }, ...pod } } }
  return {
    apiVersion: kind === 'Pod' ? 'v1' : kind === 'CronJob' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    ...body,
  } as KubeObject
}

/** Objects that exercise every built-in cross-resource policy, odd values included. */
const OBJECTS: KubeObject[] = [
  workload('Deployment', 'api', 'shop', { serviceAccountName: 'api' }),
  workload('Pod', 'solo', undefined, { automountServiceAccountToken: true }),
  workload('CronJob', 'nightly', 'jobs', { serviceAccount: 'batch', automountServiceAccountToken: Infinity }),
  workload('StatefulSet', 'db', 'shop', { automountServiceAccountToken: false }),
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'api', namespace: 'shop' },
    automountServiceAccountToken: false,
  },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobs' } },
  { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'jobs' }, spec: { limits: [] } },
  { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'shop' }, spec: {} },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'shop' },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'odd', namespace: 'jobs' },
    spec: { podSelector: { matchLabels: Infinity }, policyTypes: ['Ingress'] },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'all' },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'b', namespace: 'shop' },
    roleRef: { kind: 'ClusterRole', name: 'all' },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'c' },
    roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: 'b' } },
]

describe('RunParts', () => {
  const { set } = compilePolicySet(BUILTIN_POLICIES)

  it('every built-in cross-resource policy declares what it reads', () => {
    expect(set.crossResource.length).toBeGreaterThan(0)
    expect(crossReadsDeclared(set)).toBe(true)
  })

  it('gives each resource the outcomes a whole-run evaluation gives, from the parts alone', () => {
    // Two files, split in the middle: indices in the run are (file, place) in the parts.
    const files = [OBJECTS.slice(0, 7), OBJECTS.slice(7)]
    const environments = OBJECTS.map((_, i) => (i % 2 === 0 ? 'production' : undefined))
    const parts = new RunParts(set)
    files.forEach((objects, f) =>
      parts.add(
        f,
        objects.map((o) => located(o, `f${f}.yaml`)),
        objects.map((_, p) => environments[f * 7 + p]),
      ),
    )
    const run = parts.finish()
    const fromParts = new Map<string, unknown>()
    files.forEach((_, f) => {
      const objects = files[f] as KubeObject[]
      const own = objects.map((_, p) => environments[f * 7 + p])
      for (const [place, outcomes] of run.outcomesOf(f, objects, own))
        for (const { policy, outcome } of outcomes) fromParts.set(`${policy.meta.id} ${f * 7 + place}`, outcome)
    })
    const whole = new Map<string, unknown>()
    for (const policy of set.crossResource)
      for (const [i, outcome] of policy.evaluateAll?.(OBJECTS, environments) ?? [])
        whole.set(`${policy.meta.id} ${i}`, outcome)
    expect(whole.size).toBeGreaterThan(5)
    expect(fromParts).toEqual(whole)
    expect([...run.namespaces.keys()].sort()).toEqual(['jobs', 'shop'])
    expect(run.namespaces.get('shop')?.metadata).toEqual({ name: 'shop', labels: { team: 'a' } })
    // A file's outcomes are handed over once.
    expect(run.outcomesOf(0, [], []).size).toBe(0)
  })
})

describe('RunParts across threads', () => {
  const { set } = compilePolicySet(BUILTIN_POLICIES)
  // One object per file: the Namespace of "shop" in a late file, a second "shop" Namespace later still.
  const files = [...OBJECTS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { late: 'y' } } }]
  const environments = files.map((_, i) => (i % 3 === 0 ? 'production' : undefined))
  const partsOf = (i: number) => filePartsOf(set, [located(files[i] as KubeObject, `f${i}.yaml`)], [environments[i]])
  const outcomes = (run: RunOutcomes): string =>
    JSON.stringify(
      files.map((_, f) =>
        [...run.outcomesOf(f, [files[f] as KubeObject], [environments[f]])].map(([place, os]) => [
          place,
          os.map((o) => [o.policy.meta.id, o.outcome]),
        ]),
      ),
    )

  it('gives the same outcomes and Namespaces whatever order the files come in (threads finish in any order)', () => {
    const inOrder = new RunParts(set)
    files.forEach((_, i) => inOrder.addParts(i, partsOf(i)))
    const shuffled = new RunParts(set)
    // Every file once, in an order far from theirs: odd indexes backwards, then even ones.
    const order = files.map((_, i) => i)
    for (const i of [...order.filter((i) => i % 2 === 1).reverse(), ...order.filter((i) => i % 2 === 0)])
      shuffled.addParts(i, partsOf(i))
    const a = inOrder.finish()
    const b = shuffled.finish()
    expect(b.namespaces).toEqual(a.namespaces)
    // The last "shop" Namespace in file order wins, as in a whole-run check (namespacesByName).
    expect(a.namespaces.get('shop')?.metadata).toEqual({ name: 'shop', labels: { late: 'y' } })
    const text = outcomes(a)
    expect(text).toContain('disallow-service-account-token-automount')
    expect(outcomes(b)).toBe(text)
  })

  it('hands another thread the same outcomes as data (RunOutcomes.data, runOutcomesFrom)', () => {
    const parts = new RunParts(set)
    files.forEach((_, i) => parts.addParts(i, partsOf(i)))
    const run = parts.finish()
    const data = structuredClone(run.data())
    const there = runOutcomesFrom(set, data)
    expect(there.namespaces).toEqual(run.namespaces)
    expect(outcomes(there)).toBe(outcomes(run))
  })
})

describe('ByteLog', () => {
  it('gives back what it kept, exactly, across chunks', () => {
    const log = new ByteLog()
    const values = [
      { a: -0, b: Infinity, c: NaN, d: [null, 'x'.repeat(700_000)] },
      'é✓',
      { n: 1 },
      'y'.repeat(1_500_000),
    ]
    const handles = values.map((v) => log.add(v))
    handles.forEach((h, i) => expect(log.get(h)).toEqual(values[i]))
    expect(Object.is((log.get(handles[0] as number) as { a: number }).a, -0)).toBe(true)
  })
})
