import { structuredPatch } from 'diff'

/**
 * A change of whole lines: lines `start` to `end - 1` (1-based, of the text before; `start
 * === end` for an insertion before line `start`) become `after`. `before` and `after` keep
 * their line endings byte for byte.
 */
export interface LineChange {
  start: number
  end: number
  before: string
  after: string
  /** Set on a copy made for printing whose texts had secrets replaced by `*`: not the file's bytes, not to be applied. */
  masked?: true
}

/** Lines with their endings (`\n`, `\r\n`; the last line may have none). */
export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/)
}

/**
 * The changes between two texts as line hunks without context (jsdiff's line diff, the one
 * `git diff` users read), in file order. Two texts that differ only in changed lines give
 * back exactly those lines: everything else is equal byte for byte.
 */
export function lineChanges(before: string, after: string): LineChange[] {
  if (before === after) return []
  const old = splitLines(before)
  const neu = splitLines(after)
  const patch = structuredPatch('a', 'b', before, after, undefined, undefined, { context: 0 })
  return patch.hunks.map((h) => {
    // jsdiff's structured hunks (unlike the printed `@@` line) name, for an insertion, the line it goes before.
    const start = h.oldStart
    const newStart = h.newStart
    return {
      start,
      end: start + h.oldLines,
      before: old.slice(start - 1, start - 1 + h.oldLines).join(''),
      after: neu.slice(newStart - 1, newStart - 1 + h.newLines).join(''),
    }
  })
}

/**
 * The one region that covers every difference between two texts, widened to whole lines:
 * what a single replacement (a SARIF `replacement`) must say. Undefined when equal.
 */
export function changedRegion(before: string, after: string): LineChange | undefined {
  if (before === after) return undefined
  let head = 0
  const max = Math.min(before.length, after.length)
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++
  let tail = 0
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail))
    tail++
  // Widen to line starts: back to the start of the line holding `head`, forward to the end of the line holding the last changed character.
  const from = head === 0 ? 0 : before.lastIndexOf('\n', head - 1) + 1
  const lastChanged = before.length - tail
  const newline = lastChanged === from ? from - 1 : before.indexOf('\n', lastChanged - 1)
  const to = lastChanged === from ? from : newline < 0 ? before.length : newline + 1
  const afterTo = after.length - (before.length - to)
  const start = countLines(before, from) + 1
  const region = before.slice(from, to)
  const lines = countLines(region, region.length) + (region !== '' && !region.endsWith('\n') ? 1 : 0)
  return { start, end: start + lines, before: region, after: after.slice(from, afterTo) }
}

function countLines(text: string, upTo: number): number {
  let n = 0
  for (let i = 0; i < upTo; i++) if (text.charCodeAt(i) === 10) n++
  return n
}
