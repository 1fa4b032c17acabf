import { describe, expect, it } from 'vitest'
import { loadPolicyDocuments } from '../load.js'
import { objects, policyOf, run } from '../test-helpers.test-support.js'

const vpol = (variables: string, expression: string, extra = ''): string => `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: p}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
${extra}  variables:
${variables}
  validations:
  - expression: ${JSON.stringify(expression)}
    message: no`

const pod = objects(`apiVersion: v1
kind: Pod
metadata: {name: web, namespace: team-a}
spec:
  containers:
  - {name: app, image: "docker.io/redis:6"}`)[0] as Record<string, unknown>

const configMap = (registries: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'registries', namespace: 'default' },
  data: { registries },
})
const statusOf = (yaml: string, options: Parameters<typeof run>[2] = {}): string => {
  const r = run(policyOf(yaml), pod, options).responses[0]
  return `${r?.status ?? 'none'}${r?.status === 'error' ? `: ${r.message}` : ''}`
}

describe("Kyverno's CEL libraries in a ValidatingPolicy", () => {
  const usesGet = vpol(
    '  - {name: cm, expression: \'resource.Get("v1", "configmaps", "default", "registries")\'}',
    'object.spec.containers.all(c, variables.cm.data.registries.split(",").exists(r, c.image.startsWith(r)))',
  )

  it('resource.Get reads the objects of the run', () => {
    expect(statusOf(usesGet, { objects: [configMap('docker.io/,ghcr.io/')] })).toBe('pass')
    expect(statusOf(usesGet, { objects: [configMap('ghcr.io/')] })).toBe('fail')
  })
  it('resource.Get of an object the run does not hold is an error naming it, never a pass', () => {
    expect(statusOf(usesGet)).toMatch(/^error: .*resource.Get: v1 configmaps default\/registries not found/)
  })
  it('resource.List lists by apiVersion, resource and namespace', () => {
    const hpa = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h', namespace: 'team-a' },
      spec: { scaleTargetRef: { name: 'web' } },
    }
    const policy = vpol(
      "  - {name: hpas, expression: \"resource.List('autoscaling/v1', 'horizontalpodautoscalers', object.metadata.namespace).items\"}",
      'variables.hpas.exists(h, h.spec.scaleTargetRef.name == object.metadata.name)',
    )
    expect(statusOf(policy, { objects: [hpa] })).toBe('pass')
    expect(statusOf(policy, { objects: [{ ...hpa, metadata: { name: 'h', namespace: 'other' } }] })).toBe('fail')
  })
  it('image.GetMetadata answers from the image data given, else an error (no registry is called)', () => {
    const policy = vpol(
      '  - {name: c, expression: "object.spec.containers"}',
      'variables.c.all(c, size(image.GetMetadata(c.image).config.?Volumes.orValue({})) == 0)',
    )
    expect(statusOf(policy, { images: { 'docker.io/redis:6': { configData: { Volumes: { '/data': {} } } } } })).toBe(
      'fail',
    )
    expect(statusOf(policy, { images: { 'docker.io/redis:6': { configData: {} } } })).toBe('pass')
    expect(statusOf(policy)).toMatch(/^error: .*no image data for docker.io\/redis:6/)
  })
  it('time.now() is the clock passed in', () => {
    const policy = vpol(
      '  - {name: cutoff, expression: "time.now() - duration(\'24h\')"}',
      "variables.cutoff > timestamp('2026-01-01T00:00:00Z')",
    )
    expect(statusOf(policy, { now: new Date('2026-01-03T00:00:00Z') })).toBe('pass')
    expect(statusOf(policy, { now: new Date('2026-01-01T12:00:00Z') })).toBe('fail')
  })
  it('parseServiceAccount and jsonpatch.escapeKey', () => {
    const policy = vpol(
      '  - {name: sa, expression: "parseServiceAccount(\'system:serviceaccount:ns:dev\')"}',
      "variables.sa.Namespace == 'ns' && variables.sa.Name == 'dev' && parseServiceAccount('alice').Name == '' && jsonpatch.escapeKey('a/b~c') == 'a~1b~0c'",
    )
    expect(statusOf(policy)).toBe('pass')
  })
  it('a library Palisade does not serve (http) does not compile', () => {
    const loaded = loadPolicyDocuments(
      objects(vpol('  - {name: x, expression: "http.Get(\'https://example.com\')"}', 'true')).map((object) => ({
        object,
        file: 'p.yaml',
      })),
    )
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['CEL_COMPILE'])
  })
  it('image() parses references as go-containerregistry does; isImage() tells whether one is valid', () => {
    const policy = vpol(
      '  - {name: i, expression: "image(\'nginx\')"}',
      [
        "variables.i.registry() == 'index.docker.io' && variables.i.repository() == 'library/nginx' && variables.i.tag() == 'latest' && !variables.i.containsDigest()",
        "image('ghcr.io/org/app:1.2').registry() == 'ghcr.io' && image('ghcr.io/org/app:1.2').identifier() == '1.2'",
        `image('localhost:5000/app@sha256:${'a'.repeat(64)}').containsDigest() && image('localhost:5000/app@sha256:${'a'.repeat(64)}').registry() == 'localhost:5000' && image('localhost:5000/app@sha256:${'a'.repeat(64)}').tag() == ''`,
        "isImage('docker.io/Bad/Name') == false && isImage('registry.k8s.io/pause:3.9')",
      ].join(' && '),
    )
    expect(statusOf(policy)).toBe('pass')
  })
})
