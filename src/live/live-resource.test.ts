import { describe, expect, it } from 'vitest'
import { livePath, liveResources } from './index.js'

describe('liveResources', () => {
  it('names live objects k8s://context/namespace/Kind/name and finds fields in their YAML, whichever was parsed last', () => {
    const toResource = liveResources('prod')
    const pod = toResource(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'a', namespace: 'shop' },
        spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] },
      },
      'production',
    )
    const ns = toResource(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'x' } } },
      undefined,
    )
    expect([pod.file, ns.file]).toEqual(['k8s://prod/shop/Pod/a', 'k8s://prod/_cluster/Namespace/shop'])
    expect(pod.environment).toBe('production')
    const privileged = pod.locate('/spec/containers/0/securityContext/privileged')
    expect(ns.locate('/metadata/labels/team').start.line).toBe(6)
    // Back to the pod after the namespace was parsed: the same answer.
    expect(pod.locate('/spec/containers/0/securityContext/privileged')).toEqual(privileged)
    expect(privileged).toMatchObject({ file: 'k8s://prod/shop/Pod/a', start: { line: 11 } })
  })

  it('carries the Argo CD application of a tracked object', () => {
    const r = liveResources('c')(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'm',
          namespace: 'n',
          annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/ConfigMap:n/m' },
        },
      },
      undefined,
    )
    expect(r.application).toBe('Application shop')
    expect(livePath('c', { kind: 'ConfigMap', metadata: { name: 'm' } })).toBe('k8s://c/_cluster/ConfigMap/m')
  })
})
