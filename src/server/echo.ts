/** The longest piece of a request that an error message repeats back. */
export const MAX_ECHO_CHARS = 64

/**
 * A value from the request as an error message may show it: a short string that does not
 * look like a credential is quoted; anything else is described (its type, its length), so
 * a 400 never repeats a 70 KB field or a token back to the client (or into a log).
 */
export function shown(value: unknown): string {
  if (value === undefined) return 'missing'
  if (typeof value === 'string') {
    if (value.length > MAX_ECHO_CHARS) return `a string of ${value.length} characters`
    // Kinds, versions and operations are short names; a value of another shape is described, not shown.
    if (!isPlainName(value)) return `a string of ${value.length} characters`
    return JSON.stringify(value)
  }
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length} items`
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/**
 * JSON.parse's message without the excerpt of the input V8 puts in it
 * (`Unexpected token 'x', "{"token":"gh"... is not valid JSON`).
 */
export function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const quote = message.indexOf('"')
  return (quote < 0 ? message : message.slice(0, quote).replace(/[,\s]+$/, '')).slice(0, 200)
}

/**
 * Letters, digits, `.`, `/`, `-` only (no `_`, `+`, `=` of token alphabets), fewer than six
 * digits, and no piece of 16 or more characters with a digit in it (keys such as AKIA...).
 */
function isPlainName(value: string): boolean {
  if (!/^[A-Za-z0-9./-]*$/.test(value) || (value.match(/[0-9]/g)?.length ?? 0) >= 6) return false
  return value.split(/[./-]/).every((piece) => piece.length < 16 || !/[0-9]/.test(piece))
}
