import { describe, expect, it } from 'vitest'
import { redactedResult } from '../../src/app/index.js'
import type { KubeObject, SourceSpan } from '../../src/core/index.js'
import { compilePolicySet, selectPolicies } from '../../src/engine/index.js'
import { computeDrift, driftResult } from '../../src/live/index.js'
import { resourcesOf } from '../../src/pipeline/index.js'
import { BUILTIN_POLICIES } from '../../src/policies/index.js'
import { formatResult } from '../../src/report/index.js'
import { stringifyManifests } from '../../src/yaml/index.js'

// `palisade drift` reads objects from a cluster: whoever can write one there (a CRD's
// free-form field, a ConfigMap, a Secret) writes what drift compares and prints. Deep and
// huge objects must not crash or flood it, and credentials must never reach a report.

const policies = compilePolicySet(selectPolicies(BUILTIN_POLICIES, 'all').selected).set
const options = { policies, namespaces: new Map(), inScope: () => true, environmentOf: () => undefined }
const span: SourceSpan = {
  file: 'k8s://c/x',
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
}

const gitOf = (objects: KubeObject[]) =>
  resourcesOf({ path: 'repo/app.yaml', text: stringifyManifests(objects) }).resources.map((resource) => ({
    resource,
    defaulted: resource.object,
    namespace: 'shop',
  }))

/** Drift of `git` against `live`, as every report format prints it (redacted, as runDrift hands it on). */
function reports(git: KubeObject[], live: KubeObject[]): { text: string; json: string; findings: number } {
  const result = redactedResult(
    driftResult(computeDrift(gitOf(git), live, options), [], () => span, { files: 1, resources: 1 }),
  )
  const text = formatResult(result, 'text', { color: false, toolVersion: '0.0.0' })
  const json = formatResult(result, 'json', { color: false, toolVersion: '0.0.0' })
  return { text, json, findings: result.findings.length }
}

const widget = (spec: unknown): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'shop' },
  spec,
})

/** An object nested `depth` levels ({"a":{"a":...}}), built without recursion. */
function nested(depth: number, leaf: unknown = 'x'): unknown {
  let value = leaf
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY'
const GITHUB_TOKEN = `ghp_${'A1b2C3d4E5f6G7h8I9j0'.repeat(2).slice(0, 36)}`

describe('drift against hostile live objects', () => {
  // The API server accepts JSON up to 10000 levels deep in a custom resource's free-form field.
  it('a live object nested 10000 deep (added or replacing a value) is compared and reported, not a crash', () => {
    for (const git of [widget({ size: 1 }), widget({ size: 1, deep: 'flat' })]) {
      const out = reports([git], [widget({ size: 1, deep: nested(10_000) })])
      expect(out.findings).toBeGreaterThan(0)
      expect(out.text).toContain('/spec/deep')
      expect(out.json.length).toBeLessThan(200_000)
    }
  })

  it('a 5 MB live value is shown cut short, and a live object with 20000 added fields has each reported, values hidden', () => {
    const one = reports([widget({ k: 'small' })], [widget({ k: 'v'.repeat(5_000_000) })])
    expect(one.findings).toBe(1)
    expect(one.text).toMatch(/\/spec\/k changed: Git "small", live "v{100,120}\.\.\./)
    expect(one.json.length).toBeLessThan(10_000)
    const cm = (data: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop' },
      data,
    })
    const many = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, `value-${i}`]))
    const wide = reports([cm({ k: 'small' })], [cm({ k: 'small', ...many })])
    expect(wide.findings).toBe(20_000)
    expect(wide.json).not.toContain('value-19999')
  })

  it('credentials in a changed Secret, ConfigMap or container env value never reach the text or JSON report', () => {
    const secret = (password: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      data: { password: Buffer.from(password).toString('base64') },
      stringData: { token: password },
    })
    const cm = (token: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop' },
      data: { GITHUB_TOKEN: token, 'config.ini': `[aws]\naws_secret_access_key = ${AWS_SECRET}\n` },
    })
    const pod = (value: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop' },
      spec: {
        containers: [{ name: 'a', image: 'registry.example.com/a:1', env: [{ name: 'AWS_SECRET_ACCESS_KEY', value }] }],
      },
    })
    const out = reports(
      [secret('old'), cm('none'), pod('none')],
      [secret(AWS_SECRET), cm(GITHUB_TOKEN), pod(AWS_SECRET)],
    )
    expect(out.findings).toBeGreaterThanOrEqual(3)
    for (const printed of [out.text, out.json]) {
      expect(printed).not.toContain(AWS_SECRET)
      expect(printed).not.toContain(GITHUB_TOKEN)
      expect(printed).not.toContain(Buffer.from(AWS_SECRET).toString('base64'))
    }
  })
})
