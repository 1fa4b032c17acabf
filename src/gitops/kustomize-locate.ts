import path from 'node:path'
import { getAtPointer, isRecord, parsePointer, type KubeObject, type SourceSpan } from '../core/index.js'
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
export async function kustomizeLocator(object: KubeObject, info: OriginInfo, overlayDir: string, env: RenderEnv): Promise<{ file: string; document: number; locate(pointer: string): SourceSpan }> {
  const overlayFile = await kustomizationFile(overlayDir, env)
  const originFile = info.path ?? info.configuredIn ?? overlayFile
  const originText = await env.readText(originFile)
  const file = env.display(originText === undefined ? overlayFile : originFile)
  const documents = originText === undefined ? [] : parseManifests(originText, file).documents
  const origin = info.path ? matchDocument(documents, object) : undefined
  const top = origin?.locate('').span ?? lineSpan(file, originText, 1)
  const generatorSpan = info.path === undefined && info.configuredBy ? generatorEntry(documents[0], info.configuredBy) : undefined

  const patches = await collectPatches(info, env)
  const transformers = await collectTransformers(info, env)

  return {
    file,
    document: origin?.index ?? 0,
    locate(pointer) {
      const rendered = getAtPointer(object, pointer)
      if (origin) {
        const found = origin.locate(pointer)
        if (found.exact && sameValue(getAtPointer(origin.object, pointer), rendered)) return found.span
      }
      for (const patch of patches) {
        const span = patch.locate(pointer, rendered)
        if (span) return span
      }
      for (const t of transformers) {
        if (t.touches(pointer)) return t.span
      }
      if (origin) return origin.locate(pointer).span
      return generatorSpan ?? top
    },
  }
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
    const n = isRecord((d.object as KubeObject).metadata) ? ((d.object as KubeObject).metadata as Record<string, unknown>).name : undefined
    return typeof n === 'string' && typeof name === 'string' && (n === name || name.includes(n))
  })
  return sameName ?? (ofKind.length === 1 ? ofKind[0] : undefined) ?? objects[0]
}

function generatorEntry(doc: ParsedDocument | undefined, kind: string): SourceSpan | undefined {
  const field = kind === 'ConfigMapGenerator' ? '/configMapGenerator' : kind === 'SecretGenerator' ? '/secretGenerator' : kind === 'HelmChartInflationGenerator' ? '/helmCharts' : undefined
  return field && doc ? doc.locate(field).span : undefined
}

interface PatchLocator {
  locate(pointer: string, rendered: unknown): SourceSpan | undefined
}

/** Patches of every kustomization that ran a patch transformer on this object. */
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
      else if (isRecord(p)) entries.push({ pointer: `/patches/${i}`, ...(typeof p.path === 'string' ? { file: p.path } : {}), ...(typeof p.patch === 'string' ? { inline: p.patch } : {}) })
    })
    list('patchesStrategicMerge').forEach((p, i) => {
      if (typeof p === 'string') entries.push(p.includes('\n') ? { pointer: `/patchesStrategicMerge/${i}`, inline: p } : { pointer: `/patchesStrategicMerge/${i}`, file: p })
    })
    list('patchesJson6902').forEach((p, i) => {
      if (isRecord(p)) entries.push({ pointer: `/patchesJson6902/${i}`, ...(typeof p.path === 'string' ? { file: p.path } : {}), ...(typeof p.patch === 'string' ? { inline: p.patch } : {}) })
    })
    for (const entry of entries.reverse()) {
      const entrySpan = kdoc.locate(entry.pointer).span
      if (entry.file !== undefined) {
        const abs = path.resolve(path.dirname(kfile), entry.file)
        const ptext = await env.readText(abs)
        if (ptext === undefined) continue
        const docs = parseManifests(ptext, env.display(abs)).documents
        locators.push({ locate: (pointer, rendered) => patchSpan(docs, pointer, rendered) })
      } else if (entry.inline !== undefined) {
        const docs = parseManifests(entry.inline, 'inline patch').documents
        locators.push({ locate: (pointer, rendered) => (patchSpan(docs, pointer, rendered) ? entrySpan : undefined) })
      }
    }
  }
  return locators
}

/** The span in a patch that sets the field: a JSON 6902 operation on it (or a parent), or the same field with the same value in a strategic-merge patch. */
function patchSpan(documents: readonly ParsedDocument[], pointer: string, rendered: unknown): SourceSpan | undefined {
  for (const doc of documents) {
    const value = doc.object
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const op = value[i]
        if (!isRecord(op) || typeof op.path !== 'string') continue
        const opPath = op.path.replace(/\/-$/, '')
        if (pointer === opPath || pointer.startsWith(`${opPath}/`) || (op.path.endsWith('/-') && pointer.startsWith(`${opPath}/`))) return doc.locate(`/${i}`).span
      }
    } else if (isRecord(value)) {
      const found = doc.locate(pointer)
      if (found.exact && (sameValue(getAtPointer(value, pointer), rendered) || !isScalar(rendered))) return found.span
      const byName = locateByNames(doc, value, pointer)
      if (byName) return byName
    }
  }
  return undefined
}

/** Strategic-merge patches list only the items they change, matched by `name`: retry the pointer with list indexes re-mapped by name is not possible without the target, so try each item of the patch list. */
function locateByNames(doc: ParsedDocument, value: Record<string, unknown>, pointer: string): SourceSpan | undefined {
  const tokens = parsePointer(pointer)
  const numeric = tokens.findIndex((t) => /^\d+$/.test(t))
  if (numeric < 0) return undefined
  const listPointer = '/' + tokens.slice(0, numeric).join('/')
  const list = getAtPointer(value, listPointer)
  if (!Array.isArray(list)) return undefined
  for (let i = 0; i < list.length; i++) {
    const candidate = `${listPointer}/${i}/${tokens.slice(numeric + 1).join('/')}`.replace(/\/$/, '')
    const found = doc.locate(candidate)
    if (found.exact && tokens.length > numeric + 1) return found.span
  }
  return undefined
}

async function collectTransformers(info: OriginInfo, env: RenderEnv): Promise<{ touches(pointer: string): boolean; span: SourceSpan }[]> {
  const out: { touches(pointer: string): boolean; span: SourceSpan }[] = []
  for (const t of [...info.transformations].reverse()) {
    const fields = TRANSFORMER_FIELDS[t.kind]
    if (!fields) continue
    const text = await env.readText(t.file)
    const doc = text === undefined ? undefined : parseManifests(text, env.display(t.file)).documents[0]
    const field = fields.map((f) => doc?.locate(f)).find((f) => f?.exact)
    if (!field) continue
    const touched = t.kind === 'NamespaceTransformer' ? ['/metadata/namespace'] : t.kind === 'ImageTagTransformer' ? ['image'] : t.kind === 'ReplicaCountTransformer' ? ['/spec/replicas'] : t.kind.includes('Prefix') || t.kind.includes('Suffix') ? ['/metadata/name'] : ['/metadata/labels', '/metadata/annotations', '/spec/selector', '/spec/template/metadata']
    out.push({ span: field.span, touches: (p) => touched.some((x) => (x.startsWith('/') ? p === x || p.startsWith(`${x}/`) : p.endsWith(`/${x}`))) })
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
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}
