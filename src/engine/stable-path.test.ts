import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapePointerToken, formatPointer, isRecord, parsePointer } from '../core/index.js'
import { stablePath } from './stable-path.js'

/** The definition, token by token over parsePointer: what the fast walk must equal. */
function reference(root: unknown, pointer: string): string {
  let node = root
  let out = ''
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      const item: unknown = node[Number(token)]
      out += isRecord(item) && typeof item.name === 'string' ? `/[${escapePointerToken(item.name)}]` : `/${token}`
      node = item
    } else {
      out += `/${escapePointerToken(token)}`
      node = isRecord(node) ? node[token] : undefined
    }
  }
  return out
}

const pod = {
  spec: { containers: [{ name: 'a/b~c', image: 'x' }, { image: 'y' }], 'we/ird~key': [{ name: '' }], '': { '': 1 } },
}

describe('stablePath', () => {
  it('names list items and keeps escaped tokens, empty tokens and trailing slashes', () => {
    expect(stablePath(pod, '/spec/containers/0/image')).toBe('/spec/containers/[a~1b~0c]/image')
    expect(stablePath(pod, '/spec/containers/1/image')).toBe('/spec/containers/1/image')
    expect(stablePath(pod, '/spec/we~1ird~0key/0')).toBe('/spec/we~1ird~0key/[]')
    expect(stablePath(pod, '/spec//')).toBe('/spec//')
    expect(stablePath(pod, '')).toBe('')
    expect(() => stablePath(pod, 'spec')).toThrow(/must start with "\/"/)
  })

  it('equals the token-by-token definition on any pointer', () => {
    const token = fc.oneof(
      fc.constantFrom('spec', 'containers', '0', '1', '', 'we/ird~key', 'image', '~', '/'),
      fc.string({ maxLength: 4 }),
    )
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), (tokens) => {
        const pointer = formatPointer(tokens)
        expect(stablePath(pod, pointer)).toBe(reference(pod, pointer))
      }),
      { numRuns: 2000 },
    )
  })

  it('equals the definition on raw pointers too (any `~`, invalid escapes included), over named and unnamed items', () => {
    const root = { a: [{ name: 'n~0' }, { name: 7 }, 'x', { b: [{ name: 'c/d' }] }], '~2': [{ name: 'e' }] }
    const token = fc.oneof(
      fc.constantFrom('a', '0', '1', '2', '3', 'b', '~', '~0', '~1', '~2', '~2~', ''),
      fc.string({ unit: fc.constantFrom('a', 'b', '0', '1', '~', '2'), maxLength: 4 }),
    )
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 6 }), (tokens) => {
        const pointer = `/${tokens.join('/')}`
        expect(stablePath(root, pointer)).toBe(reference(root, pointer))
      }),
      { numRuns: 3000 },
    )
  })
})
