import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { KubeObject, LocatedResource } from '../core/index.js'
import { compilePolicySet } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { runOutcomesFrom, type RunOutcomes } from './run-outcomes.js'
import { filePartsOf, RunParts } from './run-parts.js'

const located = (object: KubeObject, file: string): LocatedResource => ({
  object,
  file,
  document: 0,
  prefix: '',
  locate: () => ({ file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }),
})

const namespace = fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined })
const meta = (name: string, ns: string | undefined) => ({ name, ...(ns === undefined ? {} : { namespace: ns }) })
const automount = fc.option(fc.constantFrom(true, false, 'yes', 0), { nil: undefined })
const account = fc.option(fc.constantFrom('default', 'api', 'batch', ''), { nil: undefined })

/** Objects the kept-part roles (PartRole) are about: workloads, ServiceAccounts, Namespaces, NetworkPolicies. */
const object: fc.Arbitrary<KubeObject> = fc.oneof(
  fc
    .record({ ns: namespace, sa: account, auto: automount, kind: fc.constantFrom('Pod', 'Deployment', 'CronJob') })
    .map(({ ns, sa, auto, kind }) => {
      const spec = {
        containers: [{ name: 'c', image: 'x' }],
        ...(sa === undefined ? {} : { serviceAccountName: sa }),
        ...(auto === undefined ? {} : { automountServiceAccountToken: auto }),
      }
      const body =
        kind === 'Pod'
          ? { spec }
          : kind === 'CronJob'
            ? { spec: { jobTemplate: { spec: { template: { spec } } } } }
            : { spec: { template: { spec } } }
      const apiVersion = kind === 'Pod' ? 'v1' : kind === 'CronJob' ? 'batch/v1' : 'apps/v1'
      return { apiVersion, kind, metadata: meta('w', ns), ...body } as KubeObject
    }),
  fc.record({ ns: namespace, sa: account, auto: automount }).map(
    ({ ns, sa, auto }) =>
      ({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: meta(sa || 'default', ns),
        ...(auto === undefined ? {} : { automountServiceAccountToken: auto }),
      }) as KubeObject,
  ),
  fc
    .constantFrom('a', 'b', 'c')
    .map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }) as KubeObject),
  fc.record({ ns: namespace, all: fc.boolean() }).map(
    ({ ns, all }) =>
      ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('np', ns),
        spec: { podSelector: all ? {} : { matchLabels: { a: 'b' } }, policyTypes: ['Ingress'] },
      }) as KubeObject,
  ),
)

describe('RunParts with kept-part roles (firsts, facts and subjects)', () => {
  const { set } = compilePolicySet(BUILTIN_POLICIES)

  it('the roles are declared where one part per pod would be kept', () => {
    const ids = set.crossResource.filter((p) => p.partRole).map((p) => p.meta.id)
    expect(ids.sort()).toEqual(['disallow-service-account-token-automount', 'require-default-deny-network-policy'])
  })

  it('gives every resource what a whole-run evaluation gives, in any file order and across threads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(object, { maxLength: 5 }), { maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        (files, shuffle) => {
          const all = files.flat()
          const environments = all.map((_, i) => (i % 3 === 0 ? 'production' : undefined))
          const start = files.map((_, f) => files.slice(0, f).flat().length)
          const envsOf = (f: number) => (files[f] as KubeObject[]).map((_, p) => environments[(start[f] as number) + p])
          const parts = new RunParts(set)
          // Files in a shuffled order (threads finish in any order).
          const order = files.map((_, f) => f).sort((x, y) => (shuffle[x] as number) - (shuffle[y] as number) || x - y)
          for (const f of order)
            parts.addParts(
              f,
              filePartsOf(
                set,
                (files[f] as KubeObject[]).map((o) => located(o, `f${f}.yaml`)),
                envsOf(f),
              ),
            )
          const run = parts.finish()
          const there = runOutcomesFrom(set, structuredClone(run.data()))
          const collect = (r: RunOutcomes) => {
            const got = new Map<string, unknown>()
            files.forEach((objects, f) => {
              for (const [place, outcomes] of r.outcomesOf(f, objects, envsOf(f)))
                for (const { policy, outcome } of outcomes)
                  got.set(`${policy.meta.id} ${(start[f] as number) + place}`, outcome)
            })
            return got
          }
          const whole = new Map<string, unknown>()
          for (const policy of set.crossResource)
            for (const [i, outcome] of policy.evaluateAll?.(all, environments) ?? [])
              whole.set(`${policy.meta.id} ${i}`, outcome)
          expect(collect(run)).toEqual(whole)
          expect(collect(there)).toEqual(whole)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('keeps one part per namespace of workloads, and nothing of a pod for the token policy', () => {
    const pods = Array.from(
      { length: 50 },
      (_, i) =>
        ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `p${i}`, namespace: i % 2 ? 'a' : 'b' },
          spec: { containers: [] },
        }) as KubeObject,
    )
    const kept = filePartsOf(
      set,
      pods.map((o) => located(o, 'f.yaml')),
      pods.map(() => undefined),
    )
    const byPolicy = new Map<string, number>()
    for (const p of kept.parts) {
      const id = set.crossResource[p.policy]?.meta.id as string
      byPolicy.set(id, (byPolicy.get(id) ?? 0) + 1)
    }
    expect(byPolicy.get('require-default-deny-network-policy')).toBe(2)
    expect(byPolicy.has('disallow-service-account-token-automount')).toBe(false)
  })
})
