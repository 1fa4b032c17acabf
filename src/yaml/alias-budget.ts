import { EVENT_ID, type Event } from './js-yaml.js'

/** Why a document is refused before its objects are built. */
export interface AliasProblem {
  /** 0-based document ordinal within the event stream. */
  ordinal: number
  /** Offset of the offending alias in the source. */
  offset: number
  kind: 'excessive' | 'recursive'
}

interface Frame {
  size: number
  anchor: string | undefined
  generation: number
}

/**
 * Count, per document, how many nodes its aliases would materialise if expanded (a
 * billion-laughs document is small as text and huge as a tree). Each anchored node's
 * expanded size is computed once, when it closes, so the count is linear in the events.
 * Also refuses an alias to a node that is still open (a cycle: go-yaml rejects it as
 * "anchor value contains itself", and a cyclic object would hang every consumer).
 */
export function findAliasProblems(events: readonly Event[], source: string, limit: number): AliasProblem[] {
  const problems: AliasProblem[] = []
  let ordinal = -1
  let sizes = new Map<string, number>()
  let generations = new Map<string, number>()
  let open = new Set<string>()
  let expanded = 0
  let generation = 0
  let failed = false
  const frames: Frame[] = []
  const add = (size: number) => {
    const top = frames[frames.length - 1]
    if (top) top.size += size
  }
  const define = (event: Event & { anchorStart: number; anchorEnd: number }): string | undefined => {
    if (event.anchorStart < 0) return undefined
    const name = source.slice(event.anchorStart, event.anchorEnd)
    generations.set(name, ++generation)
    return name
  }

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        ordinal++
        sizes = new Map()
        generations = new Map()
        open = new Set()
        expanded = 0
        failed = false
        frames.push({ size: 0, anchor: undefined, generation: 0 })
        break
      case EVENT_ID.SCALAR: {
        const name = define(event)
        if (name !== undefined) {
          sizes.set(name, 1)
          open.delete(name)
        }
        add(1)
        break
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const name = define(event)
        if (name !== undefined) open.add(name)
        frames.push({ size: 1, anchor: name, generation })
        break
      }
      case EVENT_ID.ALIAS: {
        if (failed) break
        const name = source.slice(event.anchorStart, event.anchorEnd)
        const size = sizes.get(name) ?? 1
        expanded += size
        if (open.has(name) || expanded > limit) {
          problems.push({ ordinal, offset: event.anchorStart - 1, kind: open.has(name) ? 'recursive' : 'excessive' })
          failed = true
        }
        add(size)
        break
      }
      case EVENT_ID.POP: {
        const frame = frames.pop()
        if (frame?.anchor !== undefined && generations.get(frame.anchor) === frame.generation) {
          sizes.set(frame.anchor, frame.size)
          open.delete(frame.anchor)
        }
        if (frame) add(frame.size)
        break
      }
    }
  }
  return problems
}
