import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadAll } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { isRecord, type KubeObject } from '../core/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { compilePolicySet, definePolicy, evaluate, type CompiledPolicySet } from './index.js'

const examples = fileURLToPath(new URL('../../examples/gitops/', import.meta.url))

/** Every Kubernetes object of the YAML files below examples/gitops (charts' templates are not YAML yet). */
function exampleObjects(dir = examples): KubeObject[] {
  const out: KubeObject[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name)
    if (entry.isDirectory() && entry.name !== 'templates') out.push(...exampleObjects(file))
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name))
      for (const doc of loadAll(readFileSync(file, 'utf8')))
        if (isRecord(doc) && typeof doc.kind === 'string') out.push(doc as KubeObject)
  }
  return out
}

const outcomes = (set: CompiledPolicySet, objects: readonly KubeObject[]) =>
  objects.map((o) => evaluate(set, o).map((e) => ({ meta: e.policy.meta, outcome: e.outcome })))

const broken = definePolicy({
  id: 'broken-cel',
  title: 't',
  summary: 's',
  rationale: 'r',
  severity: 'high',
  category: 'workload',
  controls: [],
  messages: { bad: 'bad' },
  match: { kinds: ['Pod'] },
  rules: [{ messageId: 'bad', expression: 'object.spec.(' }],
})

/** Fails any Pod without `spec.ok`; its message's data expression does not compile. */
const badData = definePolicy({
  id: 'bad-data',
  title: 't',
  summary: 's',
  rationale: 'r',
  severity: 'high',
  category: 'workload',
  controls: [],
  messages: { notOk: 'not ok: {{name}}' },
  match: { kinds: ['Pod'] },
  rules: [{ messageId: 'notOk', expression: 'has(object.spec.ok)', data: { name: 'object.metadata.(' } }],
})

describe('built-in policies compiled on first use (compilePolicySet defer)', () => {
  it('index and evaluate exactly as the policies compiled at once', () => {
    const objects = exampleObjects()
    expect(objects.length).toBeGreaterThan(20)
    const now = compilePolicySet(BUILTIN_POLICIES)
    const deferred = compilePolicySet(BUILTIN_POLICIES, {}, { defer: () => true })
    expect(deferred.diagnostics).toEqual(now.diagnostics)
    expect(deferred.set.policies.map((p) => [p.meta, p.kinds])).toEqual(now.set.policies.map((p) => [p.meta, p.kinds]))
    expect(deferred.set.crossResource.map((p) => p.meta.id)).toEqual(now.set.crossResource.map((p) => p.meta.id))
    const expected = outcomes(now.set, objects)
    expect(expected.flat().some((e) => e.outcome.status === 'fail')).toBe(true)
    expect(outcomes(deferred.set, objects)).toEqual(expected)
  })

  it('compiles a deferred policy when it is first evaluated: a broken one throws then, never passes', () => {
    const { set, diagnostics } = compilePolicySet([broken], {}, { defer: () => true })
    expect(diagnostics).toEqual([])
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }
    expect(() => evaluate(set, pod)).toThrow(/^built-in policy broken-cel does not compile: /)
  })

  it('compiles at once what is not deferred, and any policy given a parameter it does not declare', () => {
    expect(compilePolicySet([broken], {}, { defer: () => false }).diagnostics).not.toEqual([])
    const privileged = BUILTIN_POLICIES.find((p) => p.rules !== undefined) as (typeof BUILTIN_POLICIES)[number]
    const { diagnostics } = compilePolicySet([privileged], { [privileged.id]: { nope: 1 } }, { defer: () => true })
    expect(diagnostics.map((d) => d.message)).toEqual([`policy ${privileged.id}: unknown parameter "nope"`])
  })

  it('reports a data expression that does not compile at once, as CEL_COMPILE, unless deferred', () => {
    const { set, diagnostics } = compilePolicySet([badData], {}, { defer: () => false })
    expect(set.policies).toEqual([])
    expect(diagnostics).toEqual([
      {
        code: 'CEL_COMPILE',
        message: expect.stringMatching(/^policy bad-data, rule notOk data\.name: .* of "object\.metadata\.\("\)$/),
      },
    ])
  })

  it("compiles a deferred policy's data on its first failure: a broken one throws then, never passes", () => {
    const { set, diagnostics } = compilePolicySet([badData], {}, { defer: () => true })
    expect(diagnostics).toEqual([])
    const passing = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { ok: true } }
    expect(evaluate(set, passing).map((e) => e.outcome.status)).toEqual(['pass'])
    const failing = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} }
    expect(() => evaluate(set, failing)).toThrow(/^built-in policy bad-data, rule notOk data\.name does not compile: /)
  })
})
