/**
 * `JSON.stringify(document, null, 2)` in pieces, for reports with one large array (SARIF's
 * results): the document is printed with a marker where the array goes, and the array's
 * items are printed `chunk` at a time at the marker's depth. Joined, the pieces are exactly
 * the text of the whole document, without the whole text or every item's object in memory.
 */
const MARKER = '\u0000palisade-pieces\u0000'

export function* stringifyInPieces<T>(
  document: (marker: string) => unknown,
  items: readonly T[],
  toJson: (item: T) => unknown,
  chunk = 500,
): Generator<string> {
  const text = JSON.stringify(document(MARKER), null, 2)
  const quoted = JSON.stringify(MARKER)
  const at = text.indexOf(quoted)
  if (at < 0 || text.indexOf(quoted, at + 1) >= 0)
    throw new Error('stringifyInPieces: the document must hold the marker exactly once')
  const line = text.slice(text.lastIndexOf('\n', at) + 1, at)
  const indent = line.slice(0, line.length - line.trimStart().length)
  const head = text.slice(0, at)
  const tail = `${text.slice(at + quoted.length)}\n`
  if (items.length === 0) {
    yield `${head}[]${tail}`
    return
  }
  yield `${head}[\n`
  for (let from = 0; from < items.length; from += chunk) {
    // `[\n<indent>  item,\n ... \n<indent>]` without its brackets.
    const piece = JSON.stringify(items.slice(from, from + chunk).map(toJson), null, 2).replaceAll('\n', `\n${indent}`)
    yield `${piece.slice(2, piece.length - indent.length - 2)}${from + chunk < items.length ? ',' : ''}\n`
  }
  yield `${indent}]${tail}`
}
