import { describe, expect, it } from 'vitest'
import { namespacesByName, objectsOfDocument } from './index.js'

describe('objectsOfDocument', () => {
  it('flattens a kind: *List into its items that have a kind, each at /items/N', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' } }
    const list = { apiVersion: 'v1', kind: 'DeploymentList', items: [pod, 'text', { metadata: {} }, svc] }
    expect(objectsOfDocument(list)).toEqual([
      { object: pod, prefix: '/items/0' },
      { object: svc, prefix: '/items/3' },
    ])
  })

  it('keeps any other document as it is, at the empty pointer (a List without items too)', () => {
    const odd = { apiVersion: 'v1', kind: 'List', items: 'none' }
    expect(objectsOfDocument(odd)).toEqual([{ object: odd, prefix: '' }])
  })
})

describe('namespacesByName', () => {
  it('indexes Namespace objects by name, the last of a name winning, and nothing else', () => {
    const first = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }
    const second = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { a: 'b' } } }
    const index = namespacesByName([
      first,
      { kind: 'Pod', metadata: { name: 'shop' } },
      second,
      { kind: 'Namespace', metadata: {} },
    ])
    expect([...index.entries()]).toEqual([['shop', second]])
  })
})
