import { constructFromEvents, parseEvents, YAMLException } from './js-yaml.js'
import type { Diagnostic } from '../core/index.js'
import { findAliasProblems, type AliasProblem } from './alias-budget.js'
import { diagnosticAt, parserDiagnostic, tooDeep } from './diagnostics.js'
import { duplicateKeyDiagnostic } from './duplicate-key.js'
import { EventTree } from './positions/event-tree.js'
import { GiveUp } from './fast/fast-cursor.js'
import { EventRecorder } from './fast/fast-events.js'
import { readFastStream } from './fast/fast-stream.js'
import { KUBERNETES_SCHEMA } from './kubernetes-schema.js'
import { LineIndex } from './positions/line-index.js'
import { StreamDocument, lazyTree, readyTree, type ParsedDocument } from './positions/parsed-document.js'
import { readChunks } from './read-chunks.js'

/** Limits on hostile input. */
export interface ParseOptions {
  /** Deepest nesting of nodes accepted (default 500). */
  maxDepth?: number
  /** Most nodes a document's aliases may expand to (default 1,000,000). */
  maxAliasExpansion?: number
  /**
   * Read ordinary manifests with the fast reader (default true). It gives the same documents
   * as js-yaml or gives up on the file; false sends every file to js-yaml (tests, benchmarks).
   */
  fastPath?: boolean
  /**
   * Record positions while reading (default true). false reads the fast reader's files without
   * recording their events (about a quarter cheaper): the documents, their values and
   * diagnostics are the same, and a document's first `locate` reads its file again, recording.
   * For a pass that needs the objects only (the streaming scan's first pass).
   */
  positions?: boolean
}

interface Limits {
  maxDepth: number
  maxAliasExpansion: number
  fastPath: boolean
  positions: boolean
}

/** Whether the fast reader takes a YAML text, and if not, why and where it gave up. */
export type FastPathReport = { taken: true; documents: number } | { taken: false; reason: string; offset: number }

interface Output {
  documents: ParsedDocument[]
  diagnostics: Diagnostic[]
}

const REJECTED: unique symbol = Symbol('rejected')

/** A `*` where an alias can start; without one the alias check is skipped (`"*"` in quotes is common). */
const ALIAS_LIKE = /(?:^|[\s,[{])\*[^\s,[\]{}]/

/** See index.ts. */
export function parseManifests(text: string, file: string, options: ParseOptions = {}): Output {
  const out: Output = { documents: [], diagnostics: [] }
  const lines = new LineIndex(text, file)
  const limits = limitsOf(options)
  try {
    if (!readJson(text, lines, limits, out)) readYaml(text, lines, limits, out)
  } catch (error) {
    // Top-level handler: a bug must not stop a scan of many files; it is reported on this one.
    out.diagnostics.push(parserDiagnostic(error, lines, 0))
  }
  return out
}

function limitsOf(options: ParseOptions): Limits {
  return {
    maxDepth: options.maxDepth ?? 500,
    maxAliasExpansion: options.maxAliasExpansion ?? 1_000_000,
    fastPath: options.fastPath ?? true,
    positions: options.positions ?? true,
  }
}

/** See index.ts. */
export function fastPathReport(text: string, options: ParseOptions = {}): FastPathReport {
  const { maxDepth, maxAliasExpansion } = limitsOf(options)
  const fast = readFastStream(text, maxDepth, maxAliasExpansion)
  return fast instanceof GiveUp
    ? { taken: false, reason: fast.reason, offset: fast.offset }
    : { taken: true, documents: fast.objects.length }
}

function readYaml(text: string, lines: LineIndex, limits: Limits, out: Output): void {
  if (limits.fastPath && readFast(text, lines, limits, out)) return
  let index = 0
  for (const chunk of readChunks(text, limits.maxDepth, lines, out.diagnostics)) {
    if (chunk === 'failed') {
      index++
      continue
    }
    const source = readyTree(chunk)
    buildObjects(chunk, limits, lines, out.diagnostics).forEach((object, ordinal) => {
      if (object !== REJECTED) out.documents.push(new StreamDocument(index, object, source, ordinal, lines))
      index++
    })
  }
}

/**
 * The fast reader's documents, when it takes the whole file. It records js-yaml's events
 * (for positions) in the same pass: that costs about a fifth more than reading alone, where
 * reading each document again on its first position cost twice the whole read, and a
 * scan asks for positions in most documents (every finding needs one).
 */
function readFast(text: string, lines: LineIndex, limits: Limits, out: Output): boolean {
  const recorder = limits.positions ? new EventRecorder(text.length) : null
  const fast = readFastStream(text, limits.maxDepth, limits.maxAliasExpansion, recorder)
  if (fast instanceof GiveUp) return false
  const source = recorder
    ? readyTree(new EventTree(recorder.events, text, 0))
    : lazyTree(() => recordedTree(text, limits))
  fast.objects.forEach((object, index) => out.documents.push(new StreamDocument(index, object, source, index, lines)))
  return true
}

/** The events of a text the fast reader took, read again with a recorder (the reader is deterministic). */
function recordedTree(text: string, limits: Limits): EventTree {
  const recorder = new EventRecorder(text.length)
  const again = readFastStream(text, limits.maxDepth, limits.maxAliasExpansion, recorder)
  if (again instanceof GiveUp)
    throw new Error(`the fast reader took a text once and gave up on it again: ${again.reason}`)
  return new EventTree(recorder.events, text, 0)
}

/** One object per document; a document that cannot be built is REJECTED with a diagnostic. */
function buildObjects(
  tree: EventTree,
  limits: Limits,
  lines: LineIndex,
  diagnostics: Diagnostic[],
): (unknown | typeof REJECTED)[] {
  const { source } = tree
  const events = tree.jsYamlEvents()
  const options = { source, schema: KUBERNETES_SCHEMA, maxTotalMergeKeys: -1 }
  const problems =
    source.includes('*') && ALIAS_LIKE.test(source) ? findAliasProblems(events, source, limits.maxAliasExpansion) : []
  if (problems.length === 0) {
    try {
      return constructFromEvents(events, options)
    } catch (error) {
      // One bad document must not lose the others: build them one by one below, which
      // reports the bad one. Anything but a YAMLException is a bug and goes up.
      if (!(error instanceof YAMLException)) throw error
    }
  }
  const objects: (unknown | typeof REJECTED)[] = []
  for (let ordinal = 0; ordinal < tree.documentCount(); ordinal++) {
    const problem = problems.find((p) => p.ordinal === ordinal)
    if (problem) {
      diagnostics.push(aliasDiagnostic(problem, tree, lines, limits))
      objects.push(REJECTED)
      continue
    }
    const start = tree.documentRoot(ordinal) - 1
    try {
      objects.push(constructFromEvents(events.slice(start, tree.close(start) + 1), options)[0])
    } catch (error) {
      const reported =
        error instanceof YAMLException && error.reason === 'duplicated mapping key' ? error.mark?.position : undefined
      diagnostics.push(
        (reported !== undefined && duplicateKeyDiagnostic(tree, ordinal, reported, lines)) ||
          parserDiagnostic(error, lines, tree.base),
      )
      objects.push(REJECTED)
    }
  }
  return objects
}

function aliasDiagnostic(problem: AliasProblem, tree: EventTree, lines: LineIndex, limits: Limits): Diagnostic {
  const offset = tree.base + problem.offset
  const name = tree.source.slice(
    problem.offset,
    problem.offset + 1 + (/^[^\s,[\]{}]*/.exec(tree.source.slice(problem.offset + 1))?.[0].length ?? 0),
  )
  return problem.kind === 'recursive'
    ? diagnosticAt(
        lines,
        'YAML_SYNTAX',
        `Alias ${name} refers to a node that contains it: a recursive structure cannot become JSON.`,
        offset,
        offset + name.length,
        'Anchor a node outside the one that uses the alias.',
      )
    : diagnosticAt(
        lines,
        'YAML_SYNTAX',
        `Excessive aliasing: the document's aliases expand to more than ${limits.maxAliasExpansion} nodes (at ${name}), so it is refused like go-yaml refuses a "billion laughs" document.`,
        offset,
        offset + name.length,
        'Expand fewer aliases, or raise the maxAliasExpansion parse option.',
      )
}

/** JSON files (first non-space character `{` or `[`) are read with JSON.parse; positions come later, from events. */
function readJson(text: string, lines: LineIndex, limits: Limits, out: Output): boolean {
  const first = /\S/.exec(text)?.[0]
  if (first !== '{' && first !== '[') return false
  let object: unknown
  try {
    object = JSON.parse(text)
  } catch {
    // JSON-looking YAML (flow style with comments, several documents, ...): the YAML reader
    // takes it, and reports it if it is not YAML either.
    return false
  }
  if (deeperThan(object, limits.maxDepth)) {
    out.diagnostics.push(
      diagnosticAt(
        lines,
        'YAML_SYNTAX',
        tooDeep(limits.maxDepth),
        0,
        0,
        'Nest less deeply, or raise the maxDepth parse option.',
      ),
    )
    return true
  }
  let tree: EventTree | null | undefined
  const source = {
    tree: (): EventTree | undefined => {
      if (tree === undefined) {
        try {
          tree = new EventTree(parseEvents(text, { maxDepth: limits.maxDepth + 2 }), text, 0)
        } catch {
          // JSON that js-yaml cannot read as YAML (a key longer than 1024 characters):
          // the document stays usable, its positions fall back to the file start.
          tree = null
        }
      }
      return tree ?? undefined
    },
  }
  out.documents.push(new StreamDocument(0, object, source, 0, lines))
  return true
}

function deeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false
  if (limit <= 0) return true
  if (Array.isArray(value)) {
    for (const item of value) if (deeperThan(item, limit - 1)) return true
    return false
  }
  const record = value as Record<string, unknown>
  for (const key in record) if (deeperThan(record[key], limit - 1)) return true
  return false
}
