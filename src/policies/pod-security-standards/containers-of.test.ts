import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../../core/index.js'
import { containersOf } from './pod.js'

const pod = (names: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { initContainers: [{ name: 'init' }], containers: names.map((name) => ({ name, securityContext: {} })) },
})

describe('containersOf', () => {
  it('lists init containers first, with pointers and names', () => {
    expect(containersOf(pod(['a', 'b'])).map((c) => [c.pointer, c.name, c.hasSecurityContext])).toEqual([
      ['/spec/initContainers/0', 'init', false],
      ['/spec/containers/0', 'a', true],
      ['/spec/containers/1', 'b', true],
    ])
  })

  it('builds the list once per pod object and never hands one pod another pod’s list', () => {
    const one = pod(['a'])
    const two = pod(['x', 'y'])
    expect(containersOf(one)).toBe(containersOf(one))
    expect(containersOf(two).map((c) => c.name)).toEqual(['init', 'x', 'y'])
    expect(containersOf(one).map((c) => c.name)).toEqual(['init', 'a'])
    // A copy of a pod (as a fix makes) is another object: its own list.
    const copy = { ...one, spec: { containers: [{ name: 'z' }] } }
    expect(containersOf(copy).map((c) => c.name)).toEqual(['z'])
  })

  it('is read-only, so no policy can change what the next one sees', () => {
    const list = containersOf(pod(['a']))
    expect(Object.isFrozen(list)).toBe(true)
    expect(Object.isFrozen(list[0])).toBe(true)
  })
})
