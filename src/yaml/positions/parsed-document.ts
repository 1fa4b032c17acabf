import type { SourceSpan } from '../../core/index.js'
import type { EventTree } from './event-tree.js'
import type { LineIndex } from './line-index.js'
import { locatePointer } from './locate-pointer.js'
import { nodeEnd, nodeStart } from './node-offsets.js'

/** One document of a manifest file: its value, and positions found on demand. */
export interface ParsedDocument {
  /** 0-based index of the document in the file (counting empty documents too, so indexes match `yaml`'s parseAllDocuments). */
  index: number
  /** The value as Kubernetes would read it; null for an empty document. */
  object: unknown
  /** Span of the whole document content. Computed on first read. */
  readonly span: SourceSpan
  /**
   * Span for the node at a JSON Pointer (RFC 6901). For a mapping entry, the span of its KEY;
   * for a sequence item, the item node; '' = the document's root node. When the pointer does
   * not exist, the deepest existing ancestor, with exact=false. Computed lazily, only when called.
   */
  locate(pointer: string): { span: SourceSpan; exact: boolean }
}

/** Where a document's events come from: already parsed (YAML) or parsed on first use (JSON). */
export interface TreeSource {
  tree(): EventTree | undefined
}

/** A ready event tree. */
export function readyTree(tree: EventTree): TreeSource {
  return { tree: () => tree }
}

/** A tree built on first use. */
export function lazyTree(build: () => EventTree): TreeSource {
  let tree: EventTree | undefined
  return { tree: () => (tree ??= build()) }
}

/** A document backed by the n-th document of an event stream. */
export class StreamDocument implements ParsedDocument {
  private cachedSpan: SourceSpan | undefined

  constructor(
    readonly index: number,
    readonly object: unknown,
    private readonly source: TreeSource,
    private readonly ordinal: number,
    private readonly lines: LineIndex,
  ) {}

  get span(): SourceSpan {
    return (this.cachedSpan ??= this.nodeSpan(this.root()))
  }

  locate(pointer: string): { span: SourceSpan; exact: boolean } {
    const tree = this.source.tree()
    const root = this.root()
    if (tree === undefined || root === undefined || (pointer !== '' && !pointer.startsWith('/'))) {
      return { span: this.span, exact: false }
    }
    const { index, exact } = locatePointer(tree, root, pointer)
    return { span: this.nodeSpan(index), exact }
  }

  private root(): number | undefined {
    return this.source.tree()?.documentRoot(this.ordinal)
  }

  private nodeSpan(index: number | undefined): SourceSpan {
    const tree = this.source.tree()
    if (tree === undefined || index === undefined) return this.lines.span(0, 0)
    return this.lines.span(tree.base + nodeStart(tree, index), tree.base + nodeEnd(tree, index))
  }
}
