import path from 'node:path'
import { formatPointer, getAtPointer, isRecord, parsePointer, type KubeObject, type SourceSpan } from '../core/index.js'
import { parseManifests, type ParsedDocument } from '../yaml/index.js'
import { lineSpan, type RenderEnv } from './render-env.js'

/** What kustomize's build annotations say about an object (paths absolute). */
export interface OriginInfo {
  path?: string
  remote?: string
  configuredIn?: string
  configuredBy?: string
  transformations: { file: string; kind: string }[]
}

/** Kustomization fields a transformer is configured by, for fields a transformer changed. */
const TRANSFORMER_FIELDS: Record<string, string[]> = {
  NamespaceTransformer: ['/namespace'],
  ImageTagTransformer: ['/images'],
  LabelTransformer: ['/labels', '/commonLabels'],
  AnnotationsTransformer: ['/commonAnnotations'],
  PrefixSuffixTransformer: ['/namePrefix', '/nameSuffix'],
  PrefixTransformer: ['/namePrefix'],
  SuffixTransformer: ['/nameSuffix'],
  ReplicaCountTransformer: ['/replicas'],
}
const PATCH_KINDS = new Set(['PatchTransformer', 'PatchStrategicMergeTransformer', 'PatchJson6902Transformer'])

/**
 * Locate fields of a kustomize-built object in the repository: a field whose value is as
 * in the origin file keeps its line there; a field a patch set points into the patch (the
 * patch file's entry, or the inline patch in the kustomization); a field another
 * transformer changed points to that transformer's field in the kustomization
 * (namespace, images, labels, ...); anything else to the object in the origin file.
 */
export async function kustomizeLocator(
  object: KubeObject,
  info: OriginInfo,
  overlayDir: string,
  env: RenderEnv,
): Promise<{ file: string; document: number; locate(pointer: string): SourceSpan }> {
  const overlayFile = await kustomizationFile(overlayDir, env)
  const originFile = info.path ?? info.configuredIn ?? overlayFile
  const originText = await env.readText(originFile)
  const file = env.display(originText === undefined ? overlayFile : originFile)
  const documents = originText === undefined ? [] : parseManifests(originText, file).documents
  const origin = info.path ? matchDocument(documents, object) : undefined
  const top = origin?.locate('').span ?? lineSpan(file, originText, 1)
  const generatorSpan =
    info.path === undefined && info.configuredBy ? generatorEntry(documents[0], info.configuredBy) : undefined

  const patches = await collectPatches(info, env)
  const transformers = await collectTransformers(info, env)

  return {
    file,
    document: origin?.index ?? 0,
    locate(pointer) {
      const rendered = getAtPointer(object, pointer)
      const inOrigin = origin ? translatePointer(object, origin.object, pointer) : undefined
      if (origin && inOrigin?.complete) {
        const found = origin.locate(inOrigin.pointer)
        // A map or list the origin writes stays there even when a patch added to it; a scalar only if unchanged.
        if (found.exact && (!isScalar(rendered) || sameValue(getAtPointer(origin.object, inOrigin.pointer), rendered)))
          return found.span
      }
      // A list element (matched by name) that the origin lacks was added by a patch.
      const addedAt = inOrigin && !inOrigin.complete ? inOrigin.depth : undefined
      for (const patch of patches) {
        const span = patch.locate(object, pointer, rendered, addedAt)
        if (span) return span
      }
      for (const t of transformers) {
        if (t.touches(pointer)) return t.span
      }
      if (origin && inOrigin) return origin.locate(inOrigin.pointer).span
      return generatorSpan ?? top
    },
  }
}

/**
 * A pointer into the rendered object, re-aimed at a source document: list elements that
 * have a `name` are matched by name (as strategic merge does), others by index. `complete`
 * is false when the source lacks an element on the way; `pointer` then stops before it and
 * `depth` is the number of tokens translated.
 */
function translatePointer(
  rendered: unknown,
  source: unknown,
  pointer: string,
): { pointer: string; complete: boolean; depth: number } {
  const tokens = parsePointer(pointer)
  const out: string[] = []
  let r = rendered
  let s = source
  for (const [i, token] of tokens.entries()) {
    if (Array.isArray(r)) {
      const element: unknown = r[Number(token)]
      const name = isRecord(element) && typeof element.name === 'string' ? element.name : undefined
      const index =
        name !== undefined && Array.isArray(s) ? s.findIndex((x) => isRecord(x) && x.name === name) : Number(token)
      if (!Array.isArray(s) || index < 0 || index >= s.length)
        return { pointer: formatPointer(out), complete: false, depth: i }
      out.push(String(index))
      r = element
      s = s[index]
    } else {
      out.push(token)
      r = isRecord(r) ? r[token] : undefined
      s = isRecord(s) ? s[token] : undefined
    }
  }
  return { pointer: formatPointer(out), complete: true, depth: tokens.length }
}

async function kustomizationFile(dir: string, env: RenderEnv): Promise<string> {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    if ((await env.readText(path.join(dir, name))) !== undefined) return path.join(dir, name)
  }
  return path.join(dir, 'kustomization.yaml')
}

/** The origin document of an object: same kind and name, else the only one of its kind, else the first. */
function matchDocument(documents: readonly ParsedDocument[], object: KubeObject): ParsedDocument | undefined {
  const name = isRecord(object.metadata) ? object.metadata.name : undefined
  const objects = documents.filter((d) => isRecord(d.object))
  const ofKind = objects.filter((d) => (d.object as KubeObject).kind === object.kind)
  const sameName = ofKind.find((d) => {
    const n = isRecord((d.object as KubeObject).metadata)
      ? ((d.object as KubeObject).metadata as Record<string, unknown>).name
      : undefined
    return typeof n === 'string' && typeof name === 'string' && (n === name || name.includes(n))
  })
  return sameName ?? (ofKind.length === 1 ? ofKind[0] : undefined) ?? objects[0]
}

function generatorEntry(doc: ParsedDocument | undefined, kind: string): SourceSpan | undefined {
  const field =
    kind === 'ConfigMapGenerator'
      ? '/configMapGenerator'
      : kind === 'SecretGenerator'
        ? '/secretGenerator'
        : kind === 'HelmChartInflationGenerator'
          ? '/helmCharts'
          : undefined
  return field && doc ? doc.locate(field).span : undefined
}

interface PatchLocator {
  /** The span in the patch that set the field, if this patch did; `addedAt` = depth of a list element the origin lacks. */
  locate(object: unknown, pointer: string, rendered: unknown, addedAt: number | undefined): SourceSpan | undefined
}

/** Patches of every kustomization that ran a patch transformer on this object, last applied first. */
async function collectPatches(info: OriginInfo, env: RenderEnv): Promise<PatchLocator[]> {
  const locators: PatchLocator[] = []
  const files = [...new Set(info.transformations.filter((t) => PATCH_KINDS.has(t.kind)).map((t) => t.file))].reverse()
  for (const kfile of files) {
    const text = await env.readText(kfile)
    const kdoc = text === undefined ? undefined : parseManifests(text, env.display(kfile)).documents[0]
    if (!kdoc || !isRecord(kdoc.object)) continue
    const k = kdoc.object
    const entries: { pointer: string; file?: string; inline?: string }[] = []
    const list = (field: string): unknown[] => (Array.isArray(k[field]) ? (k[field] as unknown[]) : [])
    list('patches').forEach((p, i) => {
      if (typeof p === 'string') entries.push({ pointer: `/patches/${i}`, file: p })
      else if (isRecord(p))
        entries.push({
          pointer: `/patches/${i}`,
          ...(typeof p.path === 'string' ? { file: p.path } : {}),
          ...(typeof p.patch === 'string' ? { inline: p.patch } : {}),
        })
    })
    list('patchesStrategicMerge').forEach((p, i) => {
      if (typeof p === 'string')
        entries.push(
          p.includes('\n')
            ? { pointer: `/patchesStrategicMerge/${i}`, inline: p }
            : { pointer: `/patchesStrategicMerge/${i}`, file: p },
        )
    })
    list('patchesJson6902').forEach((p, i) => {
      if (isRecord(p))
        entries.push({
          pointer: `/patchesJson6902/${i}`,
          ...(typeof p.path === 'string' ? { file: p.path } : {}),
          ...(typeof p.patch === 'string' ? { inline: p.patch } : {}),
        })
    })
    for (const entry of entries.reverse()) {
      const entrySpan = kdoc.locate(entry.pointer).span
      if (entry.file !== undefined) {
        const abs = path.resolve(path.dirname(kfile), entry.file)
        const ptext = await env.readText(abs)
        if (ptext === undefined) continue
        const docs = parseManifests(ptext, env.display(abs)).documents
        locators.push({
          locate: (object, pointer, rendered, addedAt) => patchSpan(docs, object, pointer, rendered, addedAt),
        })
      } else if (entry.inline !== undefined) {
        const docs = parseManifests(entry.inline, 'inline patch').documents
        locators.push({
          locate: (object, pointer, rendered, addedAt) =>
            patchSpan(docs, object, pointer, rendered, addedAt) ? entrySpan : undefined,
        })
      }
    }
  }
  return locators
}

/**
 * The span in a patch that sets the field: a JSON 6902 operation on it (or a parent); in a
 * strategic-merge patch, the same field (list elements matched by name) with the same
 * value, or, for a list element the origin lacks, the patch's nearest part of that element.
 */
function patchSpan(
  documents: readonly ParsedDocument[],
  object: unknown,
  pointer: string,
  rendered: unknown,
  addedAt: number | undefined,
): SourceSpan | undefined {
  for (const doc of documents) {
    const value = doc.object
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const op = value[i]
        if (!isRecord(op) || typeof op.path !== 'string') continue
        const opPath = op.path.replace(/\/-$/, '')
        if (pointer === opPath || pointer.startsWith(`${opPath}/`)) return doc.locate(`/${i}`).span
      }
    } else if (isRecord(value)) {
      const inPatch = translatePointer(object, value, pointer)
      if (inPatch.complete) {
        const found = doc.locate(inPatch.pointer)
        if (found.exact && (sameValue(getAtPointer(value, inPatch.pointer), rendered) || !isScalar(rendered)))
          return found.span
      }
      if (addedAt !== undefined && inPatch.depth > addedAt) return doc.locate(inPatch.pointer).span
    }
  }
  return undefined
}

async function collectTransformers(
  info: OriginInfo,
  env: RenderEnv,
): Promise<{ touches(pointer: string): boolean; span: SourceSpan }[]> {
  const out: { touches(pointer: string): boolean; span: SourceSpan }[] = []
  for (const t of [...info.transformations].reverse()) {
    const fields = TRANSFORMER_FIELDS[t.kind]
    if (!fields) continue
    const text = await env.readText(t.file)
    const doc = text === undefined ? undefined : parseManifests(text, env.display(t.file)).documents[0]
    const field = fields.map((f) => doc?.locate(f)).find((f) => f?.exact)
    if (!field) continue
    const touched =
      t.kind === 'NamespaceTransformer'
        ? ['/metadata/namespace']
        : t.kind === 'ImageTagTransformer'
          ? ['image']
          : t.kind === 'ReplicaCountTransformer'
            ? ['/spec/replicas']
            : t.kind.includes('Prefix') || t.kind.includes('Suffix')
              ? ['/metadata/name']
              : ['/metadata/labels', '/metadata/annotations', '/spec/selector', '/spec/template/metadata']
    out.push({
      span: field.span,
      touches: (p) => touched.some((x) => (x.startsWith('/') ? p === x || p.startsWith(`${x}/`) : p.endsWith(`/${x}`))),
    })
  }
  return out
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object'
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a as object)
  const kb = Object.keys(b as object)
  return (
    ka.length === kb.length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  )
}
