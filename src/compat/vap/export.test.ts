import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../../core/index.js'
import { compilePolicySet, evaluate, indexPolicies } from '../../engine/index.js'
import { checkSources } from '../../pipeline/index.js'
import { BUILTIN_POLICIES, isPssPolicy } from '../../policies/index.js'
import { parseManifests } from '../../yaml/index.js'
import {
  createJmespath,
  defaultHooks,
  exportBuiltinPolicies,
  loadPolicyDocuments,
  NO_USER,
  toCompiledPolicies,
} from '../index.js'
import type { ConfigResolver } from '../../config/index.js'

const policiesDir = path.resolve(import.meta.dirname, '../../policies')

function fixtures(id: string): { file: string; text: string; objects: KubeObject[] }[] {
  const dir = path.join(policiesDir, id, 'fixtures')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
    .map((f) => {
      const text = readFileSync(path.join(dir, f), 'utf8')
      return {
        file: f,
        text,
        objects: parseManifests(text, f)
          .documents.map((d) => d.object as KubeObject)
          .filter((o) => o !== null && typeof o === 'object'),
      }
    })
}

const exported = exportBuiltinPolicies(BUILTIN_POLICIES, { actionFor: () => 'deny' })

describe('palisade export vap', () => {
  it('exports every built-in CEL-rule policy, or says why not', () => {
    const ids = [...exported.exported.map((e) => e.id), ...exported.skipped.map((s) => s.id)].sort()
    expect(ids).toEqual(BUILTIN_POLICIES.map((p) => p.id).sort())
    for (const s of exported.skipped) expect(s.reason).not.toBe('')
    for (const e of exported.exported) {
      expect(e.objects.map((o) => o.kind)).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'])
      expect((e.objects[1]?.spec as { validationActions: string[] }).validationActions).toEqual(['Deny'])
    }
  })

  it('maps the environment action to validationActions', () => {
    const one = exportBuiltinPolicies([BUILTIN_POLICIES[0] as (typeof BUILTIN_POLICIES)[number]], {
      actionFor: () => 'warn',
    })
    expect((one.exported[0]?.objects[1]?.spec as { validationActions: string[] }).validationActions).toEqual(['Warn'])
  })

  for (const policy of exported.exported) {
    const spec = BUILTIN_POLICIES.find((p) => p.id === policy.id)
    if (spec === undefined) continue
    it(`${policy.id}: the exported VAP gives the built-in verdict on every fixture`, () => {
      const loaded = loadPolicyDocuments(policy.objects.map((object) => ({ object, file: `${policy.id}.yaml` })))
      expect(loaded.diagnostics).toEqual([])
      const vap = loaded.policies[0]
      if (vap === undefined) throw new Error('VAP not loaded')
      const original = compilePolicySet([spec]).set
      for (const fixture of fixtures(policy.id)) {
        for (const object of fixture.objects) {
          const want = evaluate(original, object)[0]?.outcome.status ?? 'not applicable'
          const responses = vap.run(
            object,
            {
              operation: 'CREATE',
              oldObject: null,
              user: NO_USER,
              namespaceLabels: {},
              values: { global: {}, resource: {}, rule: () => ({}) },
              lookup: () => undefined,
              list: () => [],
              jp: createJmespath(() => new Date(0)),
              hooks: defaultHooks(),
              objects: [object],
            },
            'rest',
          ).responses
          // a response skipped by a matchCondition is the VAP's way of not applying
          const got = responses.every((r) => r.status === 'skip')
            ? 'not applicable'
            : responses.some((r) => r.status === 'fail')
              ? 'fail'
              : responses.some((r) => r.status === 'error')
                ? 'error'
                : 'pass'
          expect(`${fixture.file}: ${got}`).toBe(`${fixture.file}: ${want}`)
        }
      }
    })
  }

  it('the exported output scans as ValidatingAdmissionPolicy input with the same failing resources', () => {
    const docs = exported.exported.flatMap((e) => e.objects.map((object) => ({ object, file: `${e.id}.yaml` })))
    const loaded = loadPolicyDocuments(docs)
    const compiled = toCompiledPolicies(loaded.policies, {
      jp: createJmespath(() => new Date(0)),
      hooks: defaultHooks(),
    })
    const resolver: ConfigResolver = {
      environmentForFile: () => undefined,
      actionFor: () => 'deny',
      waiverFor: () => undefined,
    } as unknown as ConfigResolver
    // Exported PSS checks are the latest policy version; fixtures pinned to an older one by the namespace label are left out.
    const sources = exported.exported.flatMap((e) =>
      fixtures(e.id)
        .filter(
          (f) =>
            !(
              isPssPolicy(BUILTIN_POLICIES.find((p) => p.id === e.id) as (typeof BUILTIN_POLICIES)[number]) &&
              f.file.includes('pinned')
            ),
        )
        .map((f) => ({ path: `${e.id}/${f.file}`, text: f.text })),
    )
    const viaVap = checkSources(sources, { policies: indexPolicies(compiled), resolver })
    const viaBuiltin = checkSources(sources, {
      policies: compilePolicySet(BUILTIN_POLICIES.filter((p) => exported.exported.some((e) => e.id === p.id))).set,
      resolver,
    })
    const failing = (r: typeof viaVap): string[] =>
      [
        ...new Set(
          r.findings
            .filter((f) => f.status === 'fail')
            .map((f) => `${f.span?.file}:${f.policyId.replace(/^palisade-/, '')}`),
        ),
      ].sort()
    expect(failing(viaVap)).toEqual(failing(viaBuiltin))
    expect(failing(viaVap).length).toBeGreaterThan(0)
  })
})
