import { YAMLException } from './js-yaml.js'
import { describeError, type Diagnostic, type ErrorCode } from '../core/index.js'
import type { LineIndex } from './positions/line-index.js'

const HINTS: readonly (readonly [RegExp, string])[] = [
  [/tab characters/, 'Indent with spaces: YAML does not allow tabs in indentation.'],
  [
    /indentation|end of the stream|stream within/,
    'Check the indentation of this line and the lines before it, and that every quote and bracket is closed.',
  ],
  [/maxDepth/, 'Nest less deeply, or raise the maxDepth parse option.'],
  [/unidentified alias/, 'Define the anchor (&name) before the alias (*name) in the same document.'],
  [/explicit tag/, 'Remove the tag or make the value match it.'],
]

/** A diagnostic at `offset` (an offset into the whole file). */
export function diagnosticAt(
  lines: LineIndex,
  code: ErrorCode,
  message: string,
  offset: number,
  end = offset,
  hint?: string,
): Diagnostic {
  const diagnostic: Diagnostic = { code, message, span: lines.span(offset, end), severity: 'error' }
  if (hint !== undefined) diagnostic.hint = hint
  return diagnostic
}

/**
 * Turn what the parser or constructor threw into a diagnostic. `base` is where the text it
 * read starts in the file. A YAMLException is bad input; a RangeError is the call stack
 * running out on a pathological nesting; anything else is a bug in this module or js-yaml.
 */
export function parserDiagnostic(error: unknown, lines: LineIndex, base: number): Diagnostic {
  if (error instanceof YAMLException) {
    let offset = base + (error.mark?.position ?? 0)
    // js-yaml places alias errors after the `*`; point at the alias itself.
    if (/alias/.test(error.reason) && lines.text.charAt(offset - 1) === '*') offset--
    const hint = HINTS.find(([pattern]) => pattern.test(error.reason))?.[1]
    const depth = /nesting exceeded maxDepth \((\d+)\)/.exec(error.reason)?.[1]
    if (depth !== undefined) return diagnosticAt(lines, 'YAML_SYNTAX', tooDeep(Number(depth)), offset, offset, hint)
    return diagnosticAt(lines, 'YAML_SYNTAX', `Invalid YAML: ${error.reason}.`, offset, offset, hint)
  }
  if (error instanceof RangeError) {
    return diagnosticAt(
      lines,
      'YAML_SYNTAX',
      `Invalid YAML: the document nests too deeply to parse (${error.message}).`,
      base,
      base,
      HINTS[2]?.[1],
    )
  }
  return diagnosticAt(lines, 'INTERNAL', `Could not parse YAML: ${describeError(error)}`, base)
}

/**
 * A document nesting deeper than `maxDepth` is not read, so not checked. kubectl reads it up
 * to go-yaml's limit (its scanner's max_flow_level and max_indents, 10000), so the message
 * says so rather than calling the YAML invalid.
 */
export function tooDeep(maxDepth: number): string {
  return `Document nests deeper than ${maxDepth} levels, the most this scanner reads, so it is not checked (kubectl's YAML reader accepts up to 10000).`
}
