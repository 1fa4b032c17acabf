import { describe, expect, it } from 'vitest'
import { mergeApplyConfiguration } from './apply-configuration.js'

describe('apply configurations merged as server-side apply', () => {
  it('merges Service ports on port and protocol (TCP by default) and container ports on containerPort', () => {
    const svc = {
      spec: {
        ports: [
          { port: 80, targetPort: 8080 },
          { port: 53, protocol: 'UDP' },
        ],
      },
    }
    expect(
      mergeApplyConfiguration(svc, {
        spec: {
          ports: [
            { port: 80, protocol: 'TCP', name: 'http' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      }),
    ).toEqual({
      spec: {
        ports: [
          { port: 80, targetPort: 8080, protocol: 'TCP', name: 'http' },
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    })
  })
  it('takes the union of finalizers, replaces atomic lists, removes a field set to null', () => {
    const o = { metadata: { finalizers: ['a'] }, spec: { tolerations: [{ key: 'x' }], nodeSelector: { a: 'b' } } }
    expect(
      mergeApplyConfiguration(o, {
        metadata: { finalizers: ['b', 'a'] },
        spec: { tolerations: [{ key: 'y' }], nodeSelector: null },
      }),
    ).toEqual({
      metadata: { finalizers: ['a', 'b'] },
      spec: { tolerations: [{ key: 'y' }] },
    })
  })
  it('merges env by name and volume mounts by mountPath, appending new elements after the existing ones', () => {
    const c = {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      volumeMounts: [{ mountPath: '/d', name: 'd' }],
    }
    expect(
      mergeApplyConfiguration(c, {
        env: [
          { name: 'C', value: '3' },
          { name: 'A', value: '9' },
        ],
        volumeMounts: [{ mountPath: '/d', readOnly: true }],
      }),
    ).toEqual({
      env: [
        { name: 'A', value: '9' },
        { name: 'B', value: '2' },
        { name: 'C', value: '3' },
      ],
      volumeMounts: [{ mountPath: '/d', name: 'd', readOnly: true }],
    })
  })
  it('does not change the object it is given', () => {
    const o = { metadata: { labels: { a: 'b' } } }
    mergeApplyConfiguration(o, { metadata: { labels: { c: 'd' } } })
    expect(o).toEqual({ metadata: { labels: { a: 'b' } } })
  })
})
