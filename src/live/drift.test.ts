import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../core/index.js'
import { compilePolicySet, selectPolicies } from '../engine/index.js'
import { resourcesOf } from '../pipeline/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { stringifyManifests } from '../yaml/index.js'
import { computeDrift, diffObjects, driftResult, gitopsOwner } from './index.js'

const policies = compilePolicySet(selectPolicies(BUILTIN_POLICIES, 'pss-baseline').selected).set

const deployment = (
  overrides: { labels?: Record<string, string>; privileged?: boolean; image?: string } = {},
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', ...overrides.labels } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: overrides.image ?? 'web:1',
            ...(overrides.privileged ? { securityContext: { privileged: true } } : {}),
          },
        ],
      },
    },
  },
})

function gitOf(objects: KubeObject[]) {
  return resourcesOf({ path: 'repo/app.yaml', text: stringifyManifests(objects) }).resources.map((resource) => ({
    resource,
    defaulted: resource.object,
    namespace: 'shop',
  }))
}

const options = { policies, namespaces: new Map(), inScope: () => true, environmentOf: () => undefined }

describe('diffObjects', () => {
  it('ignores what the server sets and reports changed, added and removed leaves', () => {
    const live = {
      ...deployment({ labels: { team: 'x' } }),
      status: { replicas: 2 },
      metadata: {
        ...(deployment({ labels: { team: 'x' } }).metadata as object),
        uid: 'u',
        resourceVersion: '9',
        generation: 3,
        managedFields: [],
      },
    }
    expect(diffObjects(deployment(), live)).toEqual([{ path: '/metadata/labels/team', change: 'added', live: 'x' }])
    expect(diffObjects(deployment({ image: 'web:1' }), deployment({ image: 'web:2' }))).toEqual([
      { path: '/spec/template/spec/containers/0/image', change: 'changed', git: 'web:1', live: 'web:2' },
    ])
  })
})

describe('computeDrift', () => {
  it('a label-only change is drift that is not security-relevant, at the labels line in Git (the label itself is not there)', () => {
    const [drift] = computeDrift(gitOf([deployment()]), [deployment({ labels: { team: 'x' } })], options)
    expect(drift?.type).toBe('changed')
    expect(drift?.reasons).toEqual([])
    expect(drift?.fields.map((f) => [f.path, f.security, f.span?.file, f.span?.start.line])).toEqual([
      ['/metadata/labels/team', undefined, 'repo/app.yaml', 6],
    ])
  })

  it('a privilege added live is security-relevant by field and by policy', () => {
    const [drift] = computeDrift(gitOf([deployment()]), [deployment({ privileged: true })], options)
    expect(drift?.reasons).toEqual([
      'privilege changed (/spec/template/spec/containers/0/securityContext/privileged)',
      'live fails disallow-privileged-containers, Git passes',
    ])
    expect(
      driftResult(
        [drift!],
        [],
        () => ({ file: 'x', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }),
        { files: 1, resources: 1 },
      ).findings.every((f) => f.action === 'deny'),
    ).toBe(true)
  })

  it('live-only objects are unmanaged (security-relevant when they fail a policy); Git-only are missing', () => {
    const other = { ...deployment({ privileged: true }), metadata: { name: 'legacy', namespace: 'shop' } }
    const drifts = computeDrift(gitOf([deployment()]), [other], options)
    expect(drifts.map((d) => [d.type, d.resource.name, d.reasons.length > 0])).toEqual([
      ['missing', 'web', false],
      ['unmanaged', 'legacy', true],
    ])
    const result = driftResult(
      drifts,
      [],
      () => ({
        file: 'k8s://c/shop/Deployment/legacy',
        start: { line: 1, column: 1, offset: 0 },
        end: { line: 1, column: 1, offset: 0 },
      }),
      { files: 1, resources: 1 },
    )
    expect(result.findings.map((f) => [f.policyId, f.action])).toEqual([
      ['drift-missing', 'warn'],
      ['drift-unmanaged', 'deny'],
    ])
  })

  it('never prints the values of a Secret', () => {
    const secret = (v: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      data: { password: v },
    })
    const drifts = computeDrift(gitOf([secret('c2VjcmV0MQ==')]), [secret('aHVudGVyMg==')], options)
    const result = driftResult(
      drifts,
      [],
      () => ({ file: 'x', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }),
      { files: 1, resources: 1 },
    )
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]?.message).not.toMatch(/c2VjcmV0MQ|aHVudGVyMg/)
  })
})

describe('gitopsOwner', () => {
  it('reads Argo CD tracking ids and Flux labels, and ignores the Helm instance label', () => {
    expect(
      gitopsOwner({
        metadata: { annotations: { 'argocd.argoproj.io/tracking-id': 'team_shop:apps/Deployment:shop/web' } },
      })?.application,
    ).toBe('Application team/shop')
    expect(
      gitopsOwner({
        metadata: {
          labels: {
            'kustomize.toolkit.fluxcd.io/name': 'apps',
            'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
          },
        },
      })?.application,
    ).toBe('Kustomization flux-system/apps')
    expect(gitopsOwner({ metadata: { labels: { 'app.kubernetes.io/instance': 'web' } } })).toBeUndefined()
  })
})
