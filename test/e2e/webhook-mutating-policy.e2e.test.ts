/**
 * Kyverno MutatingPolicies through the admission webhook: for every MutatingPolicy test of
 * Kyverno's library (../shared/corpus/kyverno-policies/*-mpol) whose expectation is a
 * `pass` with patchedResources, a real `palisade serve --policy-dir` answers /mutate for the
 * test's resource, and the patch it returns, applied as the API server applies it, gives
 * the expected patched resource (compared as Kyverno's runner compares: nulls, empty maps
 * and lists removed). Built-in policies are narrowed to one that never fires here, so the
 * patch is the MutatingPolicy's alone.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { applyJsonPatch } from '../../src/compat/kyverno/mutate/json-patch.js'
import { tidy, withDefaultNamespace } from '../../src/compat/kyverno/test/run-test.js'
import { resourceOf } from '../../src/compat/shared/match-constraints.js'
import { corpusPath, hasCorpus } from '../../src/testing/corpus.js'
import { runCli } from './run-cli.js'
import { postJson, startServe } from './webhook-process.js'

type Obj = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const docs = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter((d) => d !== null && typeof d === 'object')

/** The MutatingPolicy tests of the corpus: folder, policy files, and the (resource, expected) pairs to check. */
function mutatingPolicyCases(): {
  dir: string
  policies: string[]
  namespaces: Obj[]
  checks: { resource: Obj; expected: Obj }[]
}[] {
  const root = corpusPath('kyverno-policies')
  const out: ReturnType<typeof mutatingPolicyCases> = []
  for (const group of readdirSync(root).filter((g) => g.endsWith('-mpol'))) {
    for (const name of readdirSync(path.join(root, group))) {
      const testDir = path.join(root, group, name, '.kyverno-test')
      let test: Obj
      try {
        test = docs(path.join(testDir, 'kyverno-test.yaml'))[0] as Obj
      } catch {
        continue
      }
      const resources = (test.resources as string[])
        .flatMap((f) => docs(path.join(testDir, f)))
        .map((r) => withDefaultNamespace(r) as Obj)
      const checks: { resource: Obj; expected: Obj }[] = []
      for (const result of test.results as Obj[]) {
        if (result.result !== 'pass' || typeof result.patchedResources !== 'string') continue
        const expectedDocs = docs(path.join(testDir, result.patchedResources)).map(
          (r) => withDefaultNamespace(r) as Obj,
        )
        for (const ref of result.resources as string[]) {
          const resource = resources.find(
            (r) =>
              r.kind === result.kind &&
              (r.metadata.name === ref || `${r.metadata.namespace}/${r.metadata.name}` === ref),
          )
          if (resource === undefined) continue
          const named = expectedDocs.find(
            (d) => d.kind === resource.kind && d.metadata?.name === resource.metadata.name,
          )
          const single =
            expectedDocs.length === 1
              ? {
                  ...expectedDocs[0],
                  metadata: {
                    ...expectedDocs[0]?.metadata,
                    name: resource.metadata.name,
                    namespace: resource.metadata.namespace,
                  },
                }
              : undefined
          const expected = named ?? single
          if (expected !== undefined) checks.push({ resource, expected })
        }
      }
      // The namespaces' labels the test's values give are what the cluster would hold: serve reads them as Namespace objects.
      const valuesFile =
        typeof test.variables === 'string'
          ? test.variables
          : existsSync(path.join(testDir, 'values.yaml'))
            ? 'values.yaml'
            : undefined
      const selectors =
        valuesFile === undefined ? [] : ((docs(path.join(testDir, valuesFile))[0]?.namespaceSelector ?? []) as Obj[])
      const namespaces = selectors.map((n) => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: n.name, labels: n.labels },
      }))
      if (checks.length > 0)
        out.push({
          dir: `${group}/${name}`,
          policies: (test.policies as string[]).map((p) => path.resolve(testDir, p)),
          namespaces,
          checks,
        })
    }
  }
  return out
}

function review(uid: string, object: Obj): Obj {
  const [group, version] = String(object.apiVersion).includes('/')
    ? String(object.apiVersion).split('/')
    : ['', String(object.apiVersion)]
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group, version, kind: object.kind },
      resource: { group, version, resource: resourceOf(String(object.kind)) },
      ...(object.kind === 'Namespace' ? {} : { namespace: object.metadata.namespace }),
      name: object.metadata.name,
      operation: 'CREATE',
      userInfo: { username: 'dev' },
      object,
      oldObject: null,
      dryRun: false,
    },
  }
}

describe.skipIf(!hasCorpus())('/mutate of a real palisade serve with Kyverno MutatingPolicies', () => {
  let dir: string
  let ca: Buffer
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'palisade-mpol-'))
    expect(runCli(['certs', '--out', dir]).code).toBe(0)
    ca = readFileSync(path.join(dir, 'ca.crt'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("returns patches that give the patched resources of Kyverno's own tests", async () => {
    const cases = mutatingPolicyCases()
    expect(cases.length).toBeGreaterThanOrEqual(20)
    let checked = 0
    for (const [i, c] of cases.entries()) {
      const policyDir = path.join(dir, `p${i}`)
      mkdirSync(policyDir)
      for (const p of c.policies) copyFileSync(p, path.join(policyDir, path.basename(p)))
      if (c.namespaces.length > 0)
        writeFileSync(
          path.join(policyDir, 'namespaces.yaml'),
          c.namespaces.map((n) => JSON.stringify(n)).join('\n---\n'),
        )
      const serve = await startServe(
        [
          '--tls-cert',
          'tls.crt',
          '--tls-key',
          'tls.key',
          '--no-watch',
          '--policies',
          'disallow-argocd-default-project',
          '--policy-dir',
          policyDir,
        ],
        dir,
      )
      try {
        for (const [j, { resource, expected }] of c.checks.entries()) {
          const reply = await postJson(
            serve.port,
            '/mutate',
            review(`00000000-0000-4000-8000-${String(i * 100 + j).padStart(12, '0')}`, resource),
            ca,
          )
          expect(reply.status, c.dir).toBe(200)
          const response = reply.json.response as { allowed: boolean; patch?: string; warnings?: string[] }
          expect(response.allowed, c.dir).toBe(true)
          const ops =
            response.patch === undefined
              ? []
              : (JSON.parse(Buffer.from(response.patch, 'base64').toString()) as {
                  op: string
                  path: string
                  value?: unknown
                }[])
          const patched = applyJsonPatch(resource, ops, 'strict')
          expect(tidy(patched), `${c.dir} ${String(resource.metadata.name)}`).toEqual(tidy(expected))
          checked++
        }
      } finally {
        serve.child.kill('SIGTERM')
        await serve.exited
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40)
  }, 300_000)
})
