import type { KubeObject, LocatedResource } from '../core/index.js'
import type { CompiledPolicySet, HeaderRole } from '../engine/index.js'
import { documentHeaders, type DocumentHeader, type Header } from '../yaml/index.js'
import { objectsOf } from './objects-of.js'
import { isBuildInput, type SourceText } from './resources.js'
import { filePartsOf, type FileParts } from './run-parts.js'

/**
 * The streaming scan's first pass on one file: what `filePartsOf` gives over all its resources
 * (`objectsOf`), parsing only the documents whose header (yaml/document-headers.ts) says the
 * Namespace map or a cross-resource policy may keep a part of them (PolicySpec.headerRole).
 * The others are counted, not parsed: a document that parses holds the one resource its
 * header names (none for a build input or without kind and apiVersion), and a document read
 * whole (no sure header, a `*List`) holds what its parse alone gives.
 *
 * So the places of the kept parts are those of `objectsOf` whenever every document parses.
 * A document the header counts but that does not parse holds no resource there: the second
 * pass, which sees the file's diagnostics, numbers its resources the same way
 * (`firstPassPlaces`) so that each file's outcomes land on the same resources. Pure.
 */
export function firstPassParts(
  policies: CompiledPolicySet,
  source: SourceText,
  environmentOf: (resource: LocatedResource) => string | undefined,
  earlier?: { file: number; firsts: EarlierFirsts },
): FileParts {
  const parts = partsOf(policies, source, environmentOf, earlier)
  if (!earlier) return parts
  // A `first` part whose key an earlier file gave is never read (RunParts keeps the earliest): not posted.
  const cross = policies.crossResource
  parts.parts = parts.parts.filter(({ policy, part }) => {
    const role = cross[policy]?.partRole?.(part as KubeObject)
    if (!role || !('first' in role)) return true
    if (earlier.firsts.before(policy, role.first, earlier.file)) return false
    earlier.firsts.add(policy, role.first, earlier.file)
    return true
  })
  return parts
}

/**
 * The `first` keys (PartRole) of the parts one thread's first pass kept, by policy, with the
 * earliest file of each: a later file's part with such a key is never read, so its document
 * need not be parsed. Files may come in any order.
 */
export class EarlierFirsts {
  readonly #files: Map<string, number>[] = []

  /** Whether a file before `file` gave a part of this policy with this key. */
  before(policy: number, key: string, file: number): boolean {
    const had = this.#files[policy]?.get(key)
    return had !== undefined && had < file
  }

  add(policy: number, key: string, file: number): void {
    const files = (this.#files[policy] ??= new Map())
    const had = files.get(key)
    if (had === undefined || file < had) files.set(key, file)
  }
}

function partsOf(
  policies: CompiledPolicySet,
  source: SourceText,
  environmentOf: (resource: LocatedResource) => string | undefined,
  earlier: { file: number; firsts: EarlierFirsts } | undefined,
): FileParts {
  const docs = documentHeaders(source.text)
  if (!docs) {
    const { resources } = objectsOf(source)
    return filePartsOf(policies, resources, resources.map(environmentOf))
  }
  const cross = policies.crossResource
  // Per policy, the `first` keys of parts this file already keeps: later ones are never read.
  const firsts = cross.map(() => new Set<string>())
  const resources: LocatedResource[] = []
  const places: number[] = []
  let place = 0
  // Consecutive documents to parse together (one parse costs less than one per document): sure
  // ones, each with its place, and at most one not sure, last (its count is what it holds).
  const group: { doc: DocumentHeader; start: number }[] = []
  const flush = (): void => {
    const last = group[group.length - 1]
    if (!last) return
    const text = source.text.slice((group[0] as { doc: DocumentHeader }).doc.start, last.doc.end)
    let document = -1
    let at = 0
    let lastHolds = 0
    for (const resource of objectsOf({ ...source, text }).resources) {
      if (resource.document !== document) {
        document = resource.document
        at = group[document]?.start ?? place
      }
      if (document === group.length - 1) lastHolds++
      resources.push(resource)
      places.push(at++)
      cross.forEach((policy, k) => {
        const part = policy.reads?.(resource.object)
        const role = part === undefined ? undefined : policy.partRole?.(part)
        if (role && 'first' in role) firsts[k]?.add(role.first)
      })
    }
    if (!last.doc.header) place += lastHolds
    group.length = 0
  }
  for (const doc of docs) {
    if (!doc.header) {
      group.push({ doc, start: place })
      flush()
      continue
    }
    if (headerCount(doc.header) === 0) {
      flush()
      continue
    }
    let need = wanted(doc.header, policies, firsts, earlier)
    // Wanted for a `first` key a document of the group may give: parse the group first.
    if (need === 'first' && group.length > 0) {
      flush()
      need = wanted(doc.header, policies, firsts, earlier)
    }
    if (need === 'no') flush()
    else group.push({ doc, start: place })
    place++
  }
  flush()
  return filePartsOf(policies, resources, resources.map(environmentOf), places)
}

/**
 * Each resource's place as `firstPassParts` numbered it, for the resources `resourcesOf` gives of
 * the same source; undefined when that is its index. Needed only for a file with a document
 * that does not parse (its diagnostics say so): otherwise the numbering is the same.
 */
export function firstPassPlaces(source: SourceText, resources: readonly LocatedResource[]): number[] | undefined {
  const docs = documentHeaders(source.text)
  if (!docs) return undefined
  const starts: number[] = []
  let place = 0
  for (const doc of docs) {
    starts.push(place)
    place += (doc.header ? headerCount(doc.header) : undefined) ?? parsedAlone(source, doc).length
  }
  let same = true
  let document = -1
  let at = 0
  const places = resources.map((resource, i) => {
    if (resource.document !== document) {
      document = resource.document
      at = starts[document] ?? place
    }
    if (at !== i) same = false
    return at++
  })
  return same ? undefined : places
}

/** How many resources a document that parses holds, from its header: 0 or 1 (Lists have no header). */
function headerCount(header: Header): 0 | 1 {
  return header.kind !== undefined && header.apiVersion !== undefined && !isBuildInput(header.apiVersion) ? 1 : 0
}

function parsedAlone(source: SourceText, doc: DocumentHeader): LocatedResource[] {
  return objectsOf({ ...source, text: source.text.slice(doc.start, doc.end) }).resources
}

/** Each cross-resource policy's headerRole by header, per policy set (headers repeat: a few kinds in a few namespaces). */
const rolesBySet = new WeakMap<CompiledPolicySet, Map<string, HeaderRole[]>>()

function headerRoles(policies: CompiledPolicySet, header: Header): HeaderRole[] {
  let roles = rolesBySet.get(policies)
  if (!roles) rolesBySet.set(policies, (roles = new Map()))
  const key = `${header.apiVersion ?? ''}\n${header.kind ?? ''}\n${header.namespace ?? '\n'}`
  let got = roles.get(key)
  if (!got) {
    const object: KubeObject = {
      apiVersion: header.apiVersion,
      kind: header.kind,
      metadata: header.namespace === undefined ? {} : { namespace: header.namespace },
    }
    got = policies.crossResource.map((policy) => policy.headerRole?.(object) ?? 'part')
    // Bounded: a run with very many namespaces starts over.
    if (roles.size >= 10_000) roles.clear()
    roles.set(key, got)
  }
  return got
}

/**
 * Whether the Namespace map or a cross-resource policy may keep a part of the resource with this
 * header: 'yes', 'no', or 'first' when only for `first` keys no part of this file or an earlier
 * one gave yet.
 */
function wanted(
  header: Header,
  policies: CompiledPolicySet,
  firsts: readonly Set<string>[],
  earlier: { file: number; firsts: EarlierFirsts } | undefined,
): 'yes' | 'no' | 'first' {
  if (header.kind === 'Namespace') return 'yes'
  let need: 'no' | 'first' = 'no'
  for (const [k, role] of headerRoles(policies, header).entries()) {
    if (role === 'none' || (typeof role === 'object' && 'subject' in role)) continue
    if (typeof role === 'object' && 'first' in role) {
      if (!firsts[k]?.has(role.first) && !earlier?.firsts.before(k, role.first, earlier.file)) need = 'first'
      continue
    }
    return 'yes'
  }
  return need
}
