import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GiveUp } from '../fast/fast-cursor.js'
import { EventRecorder } from '../fast/fast-events.js'
import { readFastStream } from '../fast/fast-stream.js'
import { parseEvents } from '../js-yaml.js'
import { EventTree } from './event-tree.js'
import { findKey } from './locate-pointer.js'

// Keys whose text is their value, and keys go-yaml resolves to another text (`on` is "true",
// `0644` is "420", `.inf` is "Infinity", `~` and an empty key are "null"), quoted or not.
const KEYS = [
  'name',
  'on',
  'On',
  'yes',
  'y',
  'true',
  'True',
  'off',
  'no',
  'NO',
  'n',
  'false',
  'null',
  '~',
  '0644',
  '420',
  '0x1F',
  '31',
  '1e+5',
  '100000',
  '.inf',
  'Infinity',
  '-.inf',
  '.nan',
  'NaN',
  'Yellow',
  'offset',
  'tr',
  'x',
  "'on'",
  '"true"',
  "'0644'",
  '"420"',
  "''",
  '"Infinity"',
  '"na\\x6de"',
  "'it''s'",
  '"a b"',
  'a b',
]
const TOKENS = [
  'name',
  'on',
  'true',
  'false',
  'null',
  '420',
  '0644',
  '31',
  '100000',
  'Infinity',
  '-Infinity',
  'NaN',
  'Yellow',
  'offset',
  'tr',
  'x',
  "it's",
  'a b',
  '',
  'yes',
  'missing',
  '1e+5',
]

/** A mapping of the given keys, optionally with a merge of another mapping's keys (js-yaml path only). */
function yamlOf(keys: string[], merged: string[]): string {
  const base = merged.length > 0 ? `base: &b\n${merged.map((k, i) => `  ${k}: m${i}\n`).join('')}` : ''
  const merge = merged.length > 0 ? '  <<: *b\n' : ''
  return `${base}root:\n${merge}${keys.map((k, i) => `  ${k}: v${i}\n`).join('')}`
}

function trees(text: string): EventTree[] {
  const out = [new EventTree(parseEvents(text, { maxDepth: 100 }), text, 0)]
  const recorder = new EventRecorder(text.length)
  if (!(readFastStream(text, 100, 1000, recorder) instanceof GiveUp)) out.push(new EventTree(recorder.events, text, 0))
  return out
}

/** The mapping under the root's `root` key. */
function rootMapping(tree: EventTree): number {
  const root = tree.documentRoot(0)
  const key = findKey(tree, root, 'root', 0, 0) as number
  return tree.deref(tree.next(key))
}

describe('findKey', () => {
  it('finds in place what the key table finds, on both readers (resolved keys, quotes, duplicates, merges)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...KEYS), { maxLength: 24 }),
        fc.array(fc.constantFrom(...KEYS), { maxLength: 4 }),
        (keys, merged) => {
          const text = yamlOf(keys, merged)
          for (const tree of trees(text)) {
            const mapping = rootMapping(tree)
            for (const token of TOKENS) {
              expect(findKey(tree, mapping, token, 0, Infinity), `${token} in\n${text}`).toBe(
                findKey(tree, mapping, token, 0, 0),
              )
            }
          }
        },
      ),
      { numRuns: 400 },
    )
  })

  it('finds the key the object has at the same place, where the fast reader takes the text', () => {
    const text = yamlOf(['on', "'on'", '0644', '.inf', 'name', '~', '"a b"', 'NO'], [])
    const [, fast] = trees(text)
    expect(fast).toBeDefined()
    const mapping = rootMapping(fast as EventTree)
    const keys = ['true', 'on', '420', 'Infinity', 'name', 'null', 'a b', 'false']
    keys.forEach((token, i) => {
      expect(findKey(fast as EventTree, mapping, token, 0)).toBe(mapping + 1 + 2 * i)
    })
    expect(findKey(fast as EventTree, mapping, 'yes', 0)).toBeUndefined()
  })
})
