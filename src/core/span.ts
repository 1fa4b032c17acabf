/** A point in a source text. line and column are 1-based, offset is 0-based (UTF-16 code units). */
export interface Position {
  line: number
  column: number
  offset: number
}

/** A range in a named source. `file` is the path as the user gave it (or relative to the scan root). */
export interface SourceSpan {
  file: string
  start: Position
  end: Position
}
