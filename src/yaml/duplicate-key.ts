import { EVENT_ID, type Event } from './js-yaml.js'
import type { Diagnostic } from '../core/index.js'
import { diagnosticAt } from './diagnostics.js'
import type { EventTree } from './positions/event-tree.js'
import type { LineIndex } from './positions/line-index.js'
import { mappingKeyText } from './positions/locate-pointer.js'
import { nodeEnd, nodeStart } from './positions/node-offsets.js'

/** Where js-yaml reports a node: its tag, else its anchor, else its value. */
function reportedOffset(event: Event): number {
  if ('tagStart' in event && event.tagStart >= 0) return event.tagStart
  if ('anchorStart' in event && event.anchorStart >= 0) return event.anchorStart
  if ('valueStart' in event) return event.valueStart
  return 'start' in event ? event.start : -1
}

/**
 * js-yaml reports a duplicate key as "duplicated mapping key" at the second key. Find that
 * key in the document (error path only) to name it and the line of its first occurrence.
 */
export function duplicateKeyDiagnostic(
  tree: EventTree,
  ordinal: number,
  reported: number,
  lines: LineIndex,
): Diagnostic | undefined {
  const pending = [tree.documentRoot(ordinal)]
  while (pending.length > 0) {
    const node = pending.pop()!
    const type = tree.event(node).type
    if (type !== EVENT_ID.MAPPING && type !== EVENT_ID.SEQUENCE) continue
    const seen = new Map<string, number>()
    const end = tree.close(node)
    for (let i = node + 1, isKey = true; i < end; i = tree.next(i), isKey = !isKey) {
      pending.push(i)
      if (type !== EVENT_ID.MAPPING || !isKey) continue
      const text = mappingKeyText(tree, i)
      if (text === undefined) continue
      const first = seen.get(text)
      if (first !== undefined && reportedOffset(tree.event(i)) === reported) {
        const line = lines.position(tree.base + nodeStart(tree, first)).line
        return diagnosticAt(
          lines,
          'YAML_DUPLICATE_KEY',
          `Duplicate key "${text}": it is already defined on line ${line} of the same mapping, so kubectl rejects this document.`,
          tree.base + nodeStart(tree, i),
          tree.base + nodeEnd(tree, i),
          'Keep one of the two entries.',
        )
      }
      if (first === undefined) seen.set(text, i)
    }
  }
  return undefined
}
