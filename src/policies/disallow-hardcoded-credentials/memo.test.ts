import { describe, expect, it } from 'vitest'
import { compilePolicySet, evaluate } from '../../engine/index.js'
import credentialPolicy from './policy.js'

const { set } = compilePolicySet([credentialPolicy])
const pod = (env: { name: string; value: string }[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'c:1', env }] },
})
const ids = (object: Record<string, unknown>) =>
  evaluate(set, object).flatMap((e) => e.outcome.violations.map((v) => `${v.messageId} ${v.path}`))

describe('the credential scan remembers clean values per key', () => {
  it('a value clean under one key is still judged under a secret-named key', () => {
    const value = 'Xq9#hunter2zz'
    expect(ids(pod([{ name: 'GREETING', value }]))).toEqual([])
    expect(ids(pod([{ name: 'GREETING', value }]))).toEqual([]) // from memory
    expect(ids(pod([{ name: 'DB_PASSWORD', value }]))).toEqual(['hardcodedSecret /spec/containers/0/env/0/value'])
  })

  it('reports a secret every time, at its own path (hits are never remembered)', () => {
    const token = 'ghp_4f8e2b1c7a4d4e9b8c2f1d5a6b7c8e9f0a1b'
    const first = ids(pod([{ name: 'A', value: token }]))
    expect(first).toHaveLength(1)
    expect(
      ids(
        pod([
          { name: 'B', value: 'x' },
          { name: 'A', value: token },
        ]),
      ),
    ).toEqual([first[0]?.replace('/env/0/', '/env/1/')])
  })
})
