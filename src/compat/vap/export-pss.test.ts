/**
 * `export vap` writes the Pod Security Standards checks as ValidatingAdmissionPolicies. Proof
 * that they mean what the built-in checks mean: every latest-version fixture of Pod Security
 * Admission (the shared corpus, manifest.tsv's verdicts) is evaluated through the exported VAP
 * YAML by Palisade's own VAP engine, as a Pod, a Deployment and a CronJob, and must get the
 * expected verdict, policy by policy the same as the built-in check.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../../core/index.js'
import { compilePolicySet, evaluate } from '../../engine/index.js'
import { BUILTIN_POLICIES, PSS_LATEST_MINOR } from '../../policies/index.js'
import { parseManifests } from '../../yaml/index.js'
import { stringify } from 'yaml'
import { createJmespath, defaultHooks, exportBuiltinPolicies, loadPolicyDocuments, NO_USER } from '../index.js'

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/pss-fixtures/', import.meta.url))
const LATEST = `v1.${PSS_LATEST_MINOR}`

const pssIds = (set: string): string[] => BUILTIN_POLICIES.filter((p) => (p.sets ?? []).includes(set)).map((p) => p.id)
const BASELINE = new Set(pssIds('pss-baseline'))
const RESTRICTED = new Set(pssIds('pss-restricted'))
const PSS = BUILTIN_POLICIES.filter((p) => RESTRICTED.has(p.id) || BASELINE.has(p.id))

/** The exported YAML, read back as a user would apply it. */
function exportedVaps() {
  const result = exportBuiltinPolicies(PSS, { actionFor: () => 'deny' })
  const text = result.exported
    .flatMap((e) => e.objects)
    .map((o) => stringify(o))
    .join('---\n')
  const docs = parseManifests(text, 'exported.yaml').documents.map((d) => ({
    object: d.object as KubeObject,
    file: 'exported.yaml',
  }))
  const loaded = loadPolicyDocuments(docs)
  return { result, loaded }
}

function wrap(pod: KubeObject, wrapper: string): KubeObject {
  const template = {
    metadata: {
      labels: { app: 'fixture' },
      ...((pod.metadata as { annotations?: unknown }).annotations
        ? { annotations: (pod.metadata as { annotations?: unknown }).annotations }
        : {}),
    },
    spec: pod.spec,
  }
  if (wrapper === 'Deployment')
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'fixture' },
      spec: { selector: { matchLabels: { app: 'fixture' } }, template },
    }
  if (wrapper === 'CronJob')
    return {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'fixture' },
      spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } },
    }
  return pod
}

describe('export vap: Pod Security Standards', () => {
  it('exports every PSS check as a VAP (none is skipped as "not expressible")', () => {
    const { result, loaded } = exportedVaps()
    expect(result.skipped).toEqual([])
    expect(result.exported.map((e) => e.id).sort()).toEqual(PSS.map((p) => p.id).sort())
    expect(loaded.diagnostics).toEqual([])
    const rules = (
      result.exported[0]?.objects[0]?.spec as { matchConstraints: { resourceRules: { resources: string[] }[] } }
    ).matchConstraints.resourceRules.flatMap((r) => r.resources)
    expect(rules).toEqual(
      expect.arrayContaining(['pods', 'deployments', 'cronjobs', 'jobs', 'daemonsets', 'statefulsets', 'replicasets']),
    )
  })

  if (!existsSync(CORPUS)) {
    if (process.env.PALISADE_REQUIRE_CORPUS === '1')
      it('needs the shared corpus (PALISADE_REQUIRE_CORPUS=1)', () => expect.fail(`corpus not found at ${CORPUS}`))
    else it.skip(`skipped: no corpus at ${CORPUS} (PSS fixtures for the exported VAPs)`, () => undefined)
    return
  }

  it(
    `gives the manifest's verdict on every ${LATEST} fixture, policy by policy the built-in one, as Pod, Deployment and CronJob`,
    { timeout: 120_000 },
    () => {
      const { loaded } = exportedVaps()
      const vaps = new Map(loaded.policies.map((p) => [p.name.replace(/^palisade-/, ''), p]))
      const builtin = new Map(PSS.map((p) => [p.id, compilePolicySet([p]).set]))
      const rows = readFileSync(join(CORPUS, 'manifest.tsv'), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
        .filter((r) => r[2] === LATEST)
      expect(rows.length).toBeGreaterThan(100)
      const disagreements: string[] = []
      let cases = 0
      for (const [path, level, , expected] of rows) {
        const pod = parseManifests(readFileSync(join(CORPUS, path as string), 'utf8'), path as string).documents[0]
          ?.object as KubeObject
        const ids = level === 'baseline' ? BASELINE : RESTRICTED
        for (const wrapper of ['Pod', 'Deployment', 'CronJob']) {
          const object = wrap(pod, wrapper)
          const failing: string[] = []
          for (const id of ids) {
            const vap = vaps.get(id)
            if (!vap) throw new Error(`no exported VAP for ${id}`)
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
            const got = responses.some((r) => r.status === 'error')
              ? 'error'
              : responses.some((r) => r.status === 'fail')
                ? 'fail'
                : 'pass'
            const want =
              evaluate(builtin.get(id) as ReturnType<typeof compilePolicySet>['set'], object)[0]?.outcome.status ??
              'pass'
            if (got !== want)
              disagreements.push(
                `${path} as ${wrapper}: ${id} VAP ${got}, built-in ${want}${responses.find((r) => r.status === 'error')?.message ? ` (${responses.find((r) => r.status === 'error')?.message})` : ''}`,
              )
            if (got === 'fail') failing.push(id)
          }
          const verdict = failing.length > 0 ? 'deny' : 'allow'
          if (verdict !== expected)
            disagreements.push(`${path} as ${wrapper}: VAPs ${verdict} [${failing.join(', ')}], expected ${expected}`)
          cases++
        }
      }
      expect(disagreements).toEqual([])
      expect(cases).toBe(rows.length * 3)
    },
  )
})
