import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatPointer, parsePointer } from '../../core/index.js'
import { parseEvents } from '../js-yaml.js'
import { EventTree } from './event-tree.js'
import { locateNode, locatePointer } from './locate-pointer.js'
import { nodeEnd, nodeStart } from './node-offsets.js'

// Keys with escapes, empty keys, merge keys, aliases, lists and nested lists.
const text = `base: &base
  a/b: 1
  "~": 2
  "": 3
root:
  <<: *base
  list:
    - name: x
      inner: [1, [2, 3]]
    - *base
  "x~1y": 4
`
const tree = new EventTree(parseEvents(text, { maxDepth: 100 }), text, 0)
const root = tree.documentRoot(0)

describe('locatePointer', () => {
  it('reaches the node locateNode reaches over parsePointer, for any pointer (escapes, empty tokens, misses)', () => {
    const token = fc.oneof(
      fc.constantFrom('root', 'base', 'list', '0', '1', '2', 'name', 'inner', 'a/b', '~', '', 'x~1y', 'x/y', '-', '01'),
      fc.string({ unit: fc.constantFrom('a', '/', '~', '0', '1', 'b'), maxLength: 3 }),
    )
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), fc.boolean(), (tokens, raw) => {
        // Escaped as formatPointer writes them, or joined raw (`~` not followed by 0 or 1 stays as it is).
        const pointer = raw ? tokens.map((t) => `/${t}`).join('') : formatPointer(tokens)
        expect(locatePointer(tree, root, pointer)).toEqual(locateNode(tree, root, parsePointer(pointer)))
      }),
      { numRuns: 3000 },
    )
  })

  it('finds keys through escapes and merges, and stops at the deepest node on a miss', () => {
    const keyOf = (pointer: string): string => {
      const { index } = locatePointer(tree, root, pointer)
      return text.slice(nodeStart(tree, index), nodeEnd(tree, index))
    }
    expect(keyOf('/root/a~1b')).toBe('a/b')
    expect(keyOf('/root/x~01y')).toBe('"x~1y"')
    expect(locatePointer(tree, root, '/root/list/0/inner/1/0').exact).toBe(true)
    expect(locatePointer(tree, root, '/root/list/5')).toEqual({
      ...locatePointer(tree, root, '/root/list'),
      exact: false,
    })
    expect(locatePointer(tree, root, '')).toEqual({ index: root, exact: true })
  })
})
