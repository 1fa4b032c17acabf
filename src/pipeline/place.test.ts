import { describe, expect, it } from 'vitest'
import { createResolver, parseConfig } from '../config/index.js'
import { compilePolicySet } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { checkObject, checkSources, resourcesOf } from './index.js'

const { set } = compilePolicySet(BUILTIN_POLICIES)
// Cross-resource policies need every object of a run; admission sees one object and leaves them out.
const crossResource = new Set(set.crossResource.map((p) => p.meta.id))
const config = (() => {
  const text =
    'environments:\n  - name: dev\n    namespaces: [dev-*]\n    actions: { default: warn }\nwaivers:\n  - policy: require-image-digest\n    reason: pinned by tag in dev\n    owner: platform\n    expires: "2099-01-01"\n    resources: { namespace: dev-* }\n'
  const parsed = parseConfig(text, 'palisade.yaml', '.')
  if (!parsed.config) throw new Error(parsed.diagnostics.map((d) => d.message).join())
  return parsed.config
})()
const resolver = createResolver(config, new Date('2026-12-01T00:00:00Z'))
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: dev-a
  annotations:
    waive.palisade.dev/require-liveness-probe: "batch job, no server"
    waive.palisade.dev/require-readiness-probe: ""
spec:
  hostPID: true
  containers:
    - name: app
      image: nginx:latest
      securityContext: { privileged: true }
`

describe('checkObject (admission: one object, no file)', () => {
  it('gives the findings a scan gives (cross-resource policies aside), field for field, without span and fingerprint', () => {
    for (const environment of [undefined, 'dev']) {
      const scan = checkSources([{ path: 'pod.yaml', text: POD }], {
        policies: set,
        resolver,
        ...(environment ? { environment } : {}),
      })
      const object = resourcesOf({ path: 'pod.yaml', text: POD }).resources[0]?.object ?? {}
      const placed = checkObject(object, { policies: set, resolver, environment, context: {} })
      const strip = (f: object) => {
        const { span: _s, fingerprint: _f, ...rest } = f as Record<string, unknown>
        return rest
      }
      const key = (f: { policyId: string; path: string; messageId: string }) => `${f.policyId} ${f.path} ${f.messageId}`
      const byKey = <T extends { policyId: string; path: string; messageId: string }>(xs: T[]) =>
        [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1))
      expect(scan.findings.length).toBeGreaterThan(3)
      expect(byKey(placed).map(strip)).toEqual(
        byKey(scan.findings.filter((f) => !crossResource.has(f.policyId))).map(strip),
      )
    }
  })

  it('applies actions by environment, inline waivers with a reason, and configured waivers', () => {
    const object = resourcesOf({ path: 'pod.yaml', text: POD }).resources[0]?.object ?? {}
    const placed = checkObject(object, { policies: set, resolver, environment: 'dev', context: {} })
    expect(new Set(placed.map((f) => f.action))).toEqual(new Set(['warn']))
    expect(placed.find((f) => f.policyId === 'require-liveness-probe')?.waiver).toEqual({
      source: 'annotation',
      reason: 'batch job, no server',
    })
    expect(placed.find((f) => f.policyId === 'require-readiness-probe')?.waiver).toBeUndefined()
    expect(placed.find((f) => f.policyId === 'require-image-digest')?.waiver?.source).toBe('config')
    expect(placed.every((f) => f.environment === 'dev')).toBe(true)
  })

  it('returns nothing for a kind no policy matches', () => {
    expect(
      checkObject(
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
        { policies: set, resolver, environment: undefined, context: {} },
      ),
    ).toEqual([])
  })
})
