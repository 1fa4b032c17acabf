import { createTwoFilesPatch } from 'diff'

/**
 * A unified diff of one file (`--- a/FILE`, `+++ b/FILE`, 3 lines of context), as `git
 * diff` prints it, so `git apply` and `patch -p1` take it. Empty when the texts are equal.
 */
export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return ''
  const name = file.split('\\').join('/')
  const text = createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 })
  // jsdiff starts with an `Index:` line and a `===` rule that git does not print.
  return text.replace(/^(Index: .*\n)?=+\n/, '')
}
