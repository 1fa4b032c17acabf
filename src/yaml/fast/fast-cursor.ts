import type { EventRecorder } from './fast-events.js'

/*
 * The state of the fast reader (fast-*.ts): a position in the text, the line it is on, and
 * what a document has defined so far (anchors, node counts for the alias budget). Anything the
 * reader is not sure to read exactly as js-yaml does makes it throw GiveUp; parse-manifests.ts
 * then reads the file with js-yaml, so every diagnostic and edge case stays as it was.
 *
 * When asked for positions, the reader reads one document again with a recorder
 * (fast-events.ts).
 */

/** Why the fast reader stopped: thrown, never returned. Not an Error, so nothing captures a stack. */
export class GiveUp {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {}
}

/** `indent` once the text has ended. */
export const END = -1
/** `indent` at a `---` or `...` line: it closes every open node. */
export const MARKER = -2

/*
 * Character codes and the few tests on them are repeated as module-local constants in each
 * fast-*.ts file rather than imported: tsx (when it compiles to CommonJS) and vitest turn
 * imported bindings into getter calls, and a shared constant read per character made the
 * reader several times slower there.
 */
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const HASH = 0x23
/** Past the end, charCodeAt gives NaN, the one value not equal to itself. */
const isBlankOrEnd = (code: number): boolean =>
  code === SPACE || code === TAB || code === LF || code === CR || code !== code
const isFlowIndicator = (code: number): boolean =>
  code === 0x2c || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d

interface Anchor {
  value: unknown
  /** Nodes the anchored node stands for, aliases inside it expanded (as alias-budget.ts counts them). */
  size: number
}

export class FastCursor {
  pos = 0
  /** Offset where the line holding `pos` starts. */
  lineStart = 0
  /** After a line scan: the column of the content at `pos`, or END, or MARKER. */
  indent = 0
  /** Open collections. */
  depth = 0
  /** Set by the last plain scalar read (fast-plain.ts): whether it crossed a line, and a hash of its text. */
  multiline = false
  hash = 0
  /** Line breaks crossed by the last multi-line quoted scalar step (fast-quoted.ts). */
  breaks = 0
  /** Nodes read in this document (scalars, keys included, and collections; aliases count their size). */
  nodes = 0
  private expanded = 0
  private anchors: Map<string, Anchor | null> | null = null
  /** What the last plain scalar saw past its line (see `lookedAhead`). */
  private aheadFrom = -1
  private aheadAt = 0
  private aheadLineStart = 0
  private aheadIndent = 0
  readonly length: number

  constructor(
    readonly text: string,
    private readonly maxDepth: number,
    private readonly maxAliasExpansion: number,
    /** Records js-yaml's events when positions are wanted; null otherwise. */
    readonly recorder: EventRecorder | null = null,
  ) {
    this.length = text.length
  }

  fail(reason: string): never {
    throw new GiveUp(reason, this.pos)
  }

  /** A new document: anchors do not carry over. */
  startDocument(): void {
    this.anchors = null
    this.nodes = 0
    this.expanded = 0
  }

  enter(): void {
    // js-yaml counts parse depth a little differently (keys, properties): keep a margin below its limit.
    if (++this.depth > this.maxDepth - 4) this.fail('nesting close to maxDepth')
  }

  /** `&name` or `*name` at `pos`: returns the name, `pos` after it. */
  readAnchorName(): string {
    const t = this.text
    const start = ++this.pos
    let p = start
    while (!isBlankOrEnd(t.charCodeAt(p)) && !isFlowIndicator(t.charCodeAt(p))) p++
    if (p === start) this.fail('empty anchor name')
    this.pos = p
    this.recorder?.properties(start, p)
    return t.slice(start, p)
  }

  /** Mark an anchor as being defined; returns the node count to pass to `defineAnchor`. */
  openAnchor(name: string): number {
    const anchors = (this.anchors ??= new Map())
    // A redefined anchor changes what later aliases mean mid-way: leave that to js-yaml.
    if (anchors.has(name)) this.fail('anchor defined twice')
    anchors.set(name, null)
    return this.nodes
  }

  defineAnchor(name: string, value: unknown, nodesBefore: number): void {
    this.anchors?.set(name, { value, size: this.nodes - nodesBefore })
  }

  /** `*name` at `pos`: the anchored value itself (js-yaml shares it too), `pos` after the name. */
  readAlias(): unknown {
    const name = this.readAnchorName()
    this.recorder?.alias()
    const anchor = this.anchors?.get(name)
    // Unknown, or still open (a cycle): js-yaml reports both.
    if (!anchor) this.fail('alias to an unknown or open anchor')
    this.expanded += anchor.size
    if (this.expanded > this.maxAliasExpansion) this.fail('alias expansion over budget')
    this.nodes += anchor.size
    return anchor.value
  }

  /**
   * A plain scalar ending at the line break at `from` has already found the next non-blank
   * line: its first character at `at`, the line starting at `lineStart`, `indent` spaces in.
   */
  lookedAhead(from: number, at: number, lineStart: number, indent: number): void {
    this.aheadFrom = from
    this.aheadAt = at
    this.aheadLineStart = lineStart
    this.aheadIndent = indent
  }

  /**
   * After a value: the rest of the line must be blank or a comment. Then move to the next line
   * with content (see `scanLines`).
   */
  endLine(): void {
    const t = this.text
    const from = this.pos
    if (from === this.aheadFrom) {
      const at = this.aheadAt
      // Unless tabs or a comment make it more than spaces then content, that line is the next one.
      if (at - this.aheadLineStart === this.aheadIndent && t.charCodeAt(at) !== HASH) {
        this.pos = at
        this.lineStart = this.aheadLineStart
        this.indent = at === this.aheadLineStart && this.isMarker(at) ? MARKER : this.aheadIndent
        return
      }
    }
    let p = from
    let code = t.charCodeAt(p)
    while (code === SPACE || code === TAB) code = t.charCodeAt(++p)
    if (code === HASH) {
      // A comment needs a blank before it: `"a"#b` is an error for js-yaml.
      if (p === from && !isBlankOrEnd(t.charCodeAt(p - 1))) this.fail('comment without a space before it')
      while (p < this.length && (code = t.charCodeAt(p)) !== LF && code !== CR) p++
    }
    if (p >= this.length) {
      this.pos = p
      this.indent = END
      return
    }
    this.pos = p
    if (code !== LF && code !== CR) this.fail('content after a value')
    this.scanLines(code === CR && t.charCodeAt(p + 1) === LF ? p + 2 : p + 1)
  }

  /**
   * From the start of a line, skip blank and comment lines. Sets `pos` to the first content
   * character, `lineStart`, and `indent` (END at the end, MARKER at a document marker line).
   */
  scanLines(from: number): void {
    const t = this.text
    const length = this.length
    let p = from
    for (;;) {
      const lineStart = p
      let code = t.charCodeAt(p)
      while (code === SPACE) code = t.charCodeAt(++p)
      if (code === TAB) {
        // Tabs may sit on blank and comment lines, never before content.
        while (code === SPACE || code === TAB) code = t.charCodeAt(++p)
        if (code !== LF && code !== CR && code !== HASH && p < length) {
          this.pos = p
          this.fail('tab in indentation')
        }
      }
      if (code === HASH) while (p < length && (code = t.charCodeAt(p)) !== LF && code !== CR) p++
      if (p >= length) {
        this.pos = length
        this.lineStart = lineStart
        this.indent = END
        return
      }
      if (code === LF) p++
      else if (code === CR) p += t.charCodeAt(p + 1) === LF ? 2 : 1
      else {
        this.pos = p
        this.lineStart = lineStart
        this.indent = p === lineStart && this.isMarker(p) ? MARKER : p - lineStart
        return
      }
    }
  }

  /** `---` or `...` followed by a blank, a line break or the end (only meaningful at column 0). */
  isMarker(p: number): boolean {
    const t = this.text
    const code = t.charCodeAt(p)
    return (
      (code === 0x2d || code === 0x2e) &&
      t.charCodeAt(p + 1) === code &&
      t.charCodeAt(p + 2) === code &&
      isBlankOrEnd(t.charCodeAt(p + 3))
    )
  }

  /** Store a mapping entry as js-yaml's mapTag does; a repeated key is left to js-yaml, which reports it. */
  setEntry(map: Record<string, unknown>, key: string, value: unknown): void {
    if (map[key] !== undefined && (Object.hasOwn(map, key) || key === '__proto__'))
      this.fail('duplicate or __proto__ key')
    map[key] = value
  }
}
