import path from 'node:path'
import { isRecord } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'
import type { Inventory } from './inventory.js'

/** What kustomizations reference: overlays used by others (not roots) and files they consume. */
export interface KustomizationRefs {
  /** Kustomization folders referenced by another kustomization (resources or components). */
  referencedDirs: Set<string>
  /** Files a kustomization reads (resources, patches, generators' env/files): not scanned on their own. */
  consumedFiles: Set<string>
  /** Folders whose kustomization file is a `kind: Component`: built only through the kustomizations that list them. */
  components: Set<string>
}

const FILE_LISTS = ['resources', 'components', 'patchesStrategicMerge', 'crds', 'bases']

/** Read every kustomization file of an inventory for what it references. */
export function kustomizationRefs(inventory: Inventory, texts: ReadonlyMap<string, string>): KustomizationRefs {
  const refs: KustomizationRefs = { referencedDirs: new Set(), consumedFiles: new Set(), components: new Set() }
  const dirs = new Set(inventory.kustomizations.map((k) => k.dir))
  for (const { dir, file } of inventory.kustomizations) {
    const text = texts.get(file)
    const doc = text === undefined ? undefined : parseManifests(text, file).documents[0]?.object
    if (!isRecord(doc)) continue
    if (doc.kind === 'Component') refs.components.add(dir)
    const add = (entry: unknown): void => {
      if (typeof entry !== 'string' || entry.includes('\n') || /^[a-z]+:\/\//.test(entry) || entry.startsWith('git@'))
        return
      const abs = path.resolve(dir, entry)
      if (dirs.has(abs)) refs.referencedDirs.add(abs)
      else refs.consumedFiles.add(abs)
    }
    for (const field of FILE_LISTS) if (Array.isArray(doc[field])) doc[field].forEach(add)
    for (const field of ['patches', 'patchesJson6902']) {
      if (Array.isArray(doc[field])) for (const p of doc[field]) add(isRecord(p) ? p.path : p)
    }
    refs.consumedFiles.add(file)
  }
  return refs
}
