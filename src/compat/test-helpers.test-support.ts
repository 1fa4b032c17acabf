import type { KubeObject } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import {
  createJmespath,
  defaultHooks,
  loadPolicyDocuments,
  NO_USER,
  type RuleResponse,
  type UserInfo,
  type UserPolicy,
} from './index.js'

/** Objects of a YAML text. */
export function objects(yaml: string): KubeObject[] {
  return parseManifests(yaml, 'test.yaml').documents.map((d) => d.object as KubeObject)
}

/** Load exactly one policy from YAML (failing the test when it does not load). */
export function policyOf(yaml: string): UserPolicy {
  const loaded = loadPolicyDocuments(objects(yaml).map((object) => ({ object, file: 'policy.yaml' })))
  if (loaded.diagnostics.length > 0) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '))
  const p = loaded.policies[0]
  if (p === undefined) throw new Error('no policy loaded')
  return p
}

/** Run a policy's mutate phase then its other rules on a resource, as the test runner does. */
export function run(
  policy: UserPolicy,
  resource: KubeObject,
  options: {
    operation?: string
    user?: UserInfo
    objects?: KubeObject[]
    namespaceLabels?: Record<string, string>
    values?: Record<string, unknown>
    images?: Record<string, Record<string, unknown>>
    now?: Date
  } = {},
): { responses: RuleResponse[]; patched: KubeObject } {
  const all = options.objects ?? []
  const env = {
    operation: options.operation ?? 'CREATE',
    oldObject: null,
    user: options.user ?? NO_USER,
    namespaceLabels: options.namespaceLabels ?? {},
    values: { global: {}, resource: options.values ?? {}, rule: () => ({}) },
    lookup: (_v: string, kind: string, ns: string, name: string) =>
      all.find(
        (o) =>
          o.kind === kind &&
          (o.metadata as { name?: string }).name === name &&
          (ns === '' || (o.metadata as { namespace?: string }).namespace === ns),
      ),
    list: (_v: string, kind: string) => all.filter((o) => kind === '' || o.kind === kind),
    jp: createJmespath(() => new Date('2026-01-01T00:00:00Z')),
    hooks: defaultHooks((pod) =>
      (pod.spec as { hostNetwork?: boolean }).hostNetwork
        ? [{ checkId: 'hostNamespaces', path: '/spec/hostNetwork' }]
        : [],
    ),
    objects: all,
    image: (reference: string) => options.images?.[reference],
    now: () => options.now ?? new Date('2026-01-01T00:00:00Z'),
  }
  const mutated = policy.run(resource, env, 'mutate')
  const rest = policy.run(mutated.patched, env, 'rest')
  return { responses: [...mutated.responses, ...rest.responses], patched: mutated.patched }
}

/** Status of each rule response, as `rule=status`. */
export function statuses(r: { responses: RuleResponse[] }): string[] {
  return r.responses.map((x) => `${x.rule}=${x.status}`)
}
