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
  const around = documentAround(document)
  if (items.length === 0) {
    yield `${around.head}[]${around.tail}`
    return
  }
  yield `${around.head}[\n`
  for (let from = 0; from < items.length; from += chunk)
    yield `${from === 0 ? '' : ',\n'}${itemsText(items.slice(from, from + chunk), toJson, around.indent)}`
  yield `\n${around.indent}]${around.tail}`
}

/** A document printed around its one array: the text before and after it, and the array's indentation. */
export function documentAround(document: (marker: string) => unknown): { head: string; tail: string; indent: string } {
  const text = JSON.stringify(document(MARKER), null, 2)
  const quoted = JSON.stringify(MARKER)
  const at = text.indexOf(quoted)
  if (at < 0 || text.indexOf(quoted, at + 1) >= 0)
    throw new Error('stringifyInPieces: the document must hold the marker exactly once')
  const line = text.slice(text.lastIndexOf('\n', at) + 1, at)
  return {
    head: text.slice(0, at),
    tail: `${text.slice(at + quoted.length)}\n`,
    indent: line.slice(0, line.length - line.trimStart().length),
  }
}

/**
 * Items of an array at `indent`, as JSON.stringify(document, null, 2) prints them, without
 * the brackets and the last line break: `<indent>  item,\n ... <indent>  item`.
 */
export function itemsText<T>(items: readonly T[], toJson: (item: T) => unknown, indent: string): string {
  const piece = JSON.stringify(items.map(toJson), null, 2).replaceAll('\n', `\n${indent}`)
  return piece.slice(2, piece.length - indent.length - 2)
}
