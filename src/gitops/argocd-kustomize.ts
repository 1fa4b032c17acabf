import { readFileSync } from 'node:fs'
import { isRecord } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'

/** One entry of a kustomization's `images` list. */
export interface KustomizeImage {
  name: string
  newName?: string
  newTag?: string
  digest?: string
}

/** What an Argo CD `source.kustomize` block adds to the render, or the field that cannot be applied exactly. */
export type KustomizeOverrides = { images: KustomizeImage[]; notes: string[] } | { reason: string; pointer: string }

// Fields that change nothing when empty or false; `namespace` is applied by the render itself.
const APPLIED = new Set(['namespace', 'images'])
const empty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (isRecord(v) && Object.keys(v).length === 0)

// Kustomize's image reference parts: a name (registry, path, port), a tag, a digest.
const PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const NAME = new RegExp(`^${PART}(?::[0-9]+)?(?:/${PART})*$`, 'i')
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,}$/i

/**
 * Parse one `kustomize.images` entry as `kustomize edit set image` does
 * (`[old=]new[:tag][@digest]`). Only plain references are accepted: Argo CD substitutes
 * `${ARGOCD_APP_...}` variables and kustomize keeps the overlay's values for `*`, neither
 * of which the scan can reproduce, so those (and anything malformed) are refused.
 */
export function parseImageOverride(text: string): KustomizeImage | undefined {
  const eq = text.indexOf('=')
  const key = eq < 0 ? undefined : text.slice(0, eq)
  let value = eq < 0 ? text : text.slice(eq + 1)
  let digest: string | undefined
  const at = value.indexOf('@')
  if (at >= 0) {
    digest = value.slice(at + 1)
    value = value.slice(0, at)
    if (!DIGEST.test(digest)) return undefined
  }
  let tag: string | undefined
  const colon = value.lastIndexOf(':')
  if (colon >= 0 && !value.slice(colon + 1).includes('/')) {
    tag = value.slice(colon + 1)
    value = value.slice(0, colon)
    if (!TAG.test(tag)) return undefined
  }
  if (!NAME.test(value) || (key !== undefined && !NAME.test(key))) return undefined
  // Without `=`, a bare name sets nothing: kustomize refuses it.
  if (key === undefined && tag === undefined && digest === undefined) return undefined
  return {
    name: key ?? value,
    ...(key === undefined ? {} : { newName: value }),
    ...(tag === undefined ? {} : { newTag: tag }),
    ...(digest === undefined ? {} : { digest }),
  }
}

// Overlay fields that run after the images transformer, or change where it looks: with them
// an override applied after the overlay (the wrapper kustomization) could differ from one
// applied inside it (Argo CD edits the overlay's own kustomization).
const ORDER_SENSITIVE = ['replacements', 'transformers', 'configurations', 'crds', 'validators']

/**
 * The overrides of an Argo CD Application's `source.kustomize` Palisade applies, as Argo CD
 * applies them: `images` (Argo CD runs `kustomize edit set image` in the overlay) are added
 * to the wrapper kustomization the render builds, which gives the same objects as long as
 * no image entry of the overlay has the same name (kustomize edit would replace it), no
 * entry renames an image another entry matches (kustomize edit re-sorts the list), and the
 * overlay runs nothing after its images. Every other override, or an image the scan cannot
 * apply exactly, is refused at its field: the render would differ from what is deployed.
 */
export function kustomizeOverrides(kustomize: Record<string, unknown>, kustomizationFile: string): KustomizeOverrides {
  const notes: string[] = []
  for (const [key, value] of Object.entries(kustomize)) {
    if (APPLIED.has(key) || empty(value)) continue
    if (key === 'version') {
      notes.push(`Argo CD kustomize version ${String(value)} not selected: rendered with the kustomize found`)
      continue
    }
    return {
      reason: `Argo CD kustomize override ${key} is not applied by Palisade: refused (the scanned render would differ from what Argo CD deploys)`,
      pointer: `/kustomize/${key}`,
    }
  }
  const list = kustomize.images
  if (empty(list)) return { images: [], notes }
  if (!Array.isArray(list)) return { reason: 'Argo CD kustomize images is not a list', pointer: '/kustomize/images' }
  const byName = new Map<string, KustomizeImage>()
  for (const [i, entry] of list.entries()) {
    const image = typeof entry === 'string' ? parseImageOverride(entry) : undefined
    if (!image)
      return {
        reason: `Argo CD kustomize image ${JSON.stringify(entry)} cannot be applied exactly (only [name=]newName[:tag][@digest], no variables or *): refused`,
        pointer: `/kustomize/images/${i}`,
      }
    byName.delete(image.name)
    byName.set(image.name, image)
  }
  const overlay = overlayKustomization(kustomizationFile)
  const problem = (): string | undefined => {
    if (!overlay) return 'the overlay kustomization could not be read'
    const sensitive = ORDER_SENSITIVE.find((f) => !empty(overlay[f]))
    if (sensitive) return `the overlay kustomization has ${sensitive}, which run after (or change) its images`
    const own = (Array.isArray(overlay.images) ? overlay.images : []).filter(isRecord)
    const clash = own.find((o) => typeof o.name === 'string' && byName.has(o.name))
    if (clash)
      return `the overlay kustomization sets image ${String(clash.name)} too (kustomize edit replaces that entry)`
    const names = new Set([...own.map((o) => String(o.name)), ...byName.keys()])
    const chained = [...own, ...byName.values()].find((o) => typeof o.newName === 'string' && names.has(o.newName))
    if (chained && chained.newName !== chained.name)
      return `image ${String(chained.name)} is renamed to ${String(chained.newName)}, which another entry matches`
    return undefined
  }
  const why = problem()
  if (why)
    return {
      reason: `Argo CD kustomize images cannot be applied exactly: ${why}: refused`,
      pointer: '/kustomize/images',
    }
  return { images: [...byName.values()], notes }
}

/** The overlay's own kustomization, parsed (undefined when it cannot be read or is not a mapping). */
function overlayKustomization(file: string): Record<string, unknown> | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const parsed = parseManifests(text, file)
  const object = parsed.documents[0]?.object
  return parsed.documents.length === 1 && isRecord(object) ? object : undefined
}
