import { describe, expect, it } from 'vitest'
import { applyPatch } from '../index.js'

describe('applyPatch appending to a list that does not exist yet', () => {
  it('creates the list (and its parents) for a trailing /-', () => {
    const text = 'kind: Pod\nspec:\n  containers:\n    - name: a # main\n      image: x:1\n'
    const out = applyPatch(text, 0, [
      { op: 'add', path: '/spec/containers/0/securityContext/capabilities/drop/-', value: 'ALL' },
    ])
    expect(out).toBe(
      'kind: Pod\nspec:\n  containers:\n    - name: a # main\n      image: x:1\n      securityContext:\n        capabilities:\n          drop:\n            - ALL\n',
    )
  })

  it('creates a list directly under an existing mapping', () => {
    const out = applyPatch('a:\n  b: 1\n', 0, [{ op: 'add', path: '/a/c/-', value: 2 }])
    expect(out).toBe('a:\n  b: 1\n  c:\n    - 2\n')
  })
})
