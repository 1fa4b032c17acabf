import path from 'node:path'
import ignore, { type Ignore } from 'ignore'
import { isSkippedFolder } from '../core/index.js'
import type { TreeEntry } from './object-format.js'

const MANIFEST = /\.(ya?ml|json)$/i
const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])

/**
 * Choose the manifest files of a Git tree under the given roots (paths relative to the
 * repository root, '' = everything), with the same rules as file discovery on disk:
 * .yaml/.yml/.json only, no `.git` or `node_modules`, no `templates/` or `charts/` of a
 * Helm chart, no kustomization files, `.palisadeignore` files honoured in their folder
 * and below (from the scan root down). A root that is itself a file is always taken.
 * Symlinks and submodules are left out (a tree holds a link, not its target).
 *
 * @param ignoreText text of each `.palisadeignore` blob, by its path
 */
export function selectTreeManifests(
  entries: readonly TreeEntry[],
  roots: readonly string[],
  ignoreText: (treePath: string) => string | undefined,
): TreeEntry[] {
  const files = entries.filter((e) => e.type === 'blob' && e.mode !== '120000')
  const byPath = new Map(files.map((e) => [e.path, e]))
  const chartDirs = new Set(
    files.filter((e) => path.posix.basename(e.path) === 'Chart.yaml').map((e) => path.posix.dirname(e.path)),
  )
  const ignoreCache = new Map<string, Ignore | undefined>()
  const rulesIn = (dir: string): Ignore | undefined => {
    if (!ignoreCache.has(dir)) {
      const text = ignoreText(dir === '.' ? '.palisadeignore' : `${dir}/.palisadeignore`)
      ignoreCache.set(dir, text === undefined ? undefined : ignore().add(text))
    }
    return ignoreCache.get(dir)
  }
  const chosen = new Map<string, TreeEntry>()
  for (const raw of roots) {
    const root = raw.replace(/\/+$/, '')
    const exact = byPath.get(root)
    if (exact) {
      chosen.set(exact.path, exact)
      continue
    }
    const prefix = root === '' || root === '.' ? '' : `${root}/`
    for (const entry of files) {
      if (!entry.path.startsWith(prefix)) continue
      if (isSelected(entry.path, prefix, chartDirs, rulesIn)) chosen.set(entry.path, entry)
    }
  }
  return [...chosen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

function isSelected(
  file: string,
  prefix: string,
  chartDirs: ReadonlySet<string>,
  rulesIn: (dir: string) => Ignore | undefined,
): boolean {
  const name = path.posix.basename(file)
  if (!MANIFEST.test(name) || KUSTOMIZATION_FILES.has(name)) return false
  const parts = file.split('/')
  for (let i = 0; i < parts.length - 1; i++) {
    if (isSkippedFolder(parts[i] as string)) return false
    const parent = parts.slice(0, i).join('/') || '.'
    if ((parts[i] === 'templates' || parts[i] === 'charts') && chartDirs.has(parent)) return false
  }
  // .palisadeignore files from the scan root down to the file's folder, each scoped to its folder.
  const start = prefix === '' ? 0 : prefix.split('/').length - 1
  for (let depth = start; depth < parts.length; depth++) {
    const dir = parts.slice(0, depth).join('/') || '.'
    const rules = rulesIn(dir)
    if (!rules) continue
    const rel = parts.slice(depth).join('/')
    // A folder ignored by a pattern ignores everything below it, as on disk.
    for (let k = depth + 1; k < parts.length; k++)
      if (rules.ignores(`${parts.slice(depth, k).join('/')}/`)) return false
    if (rules.ignores(rel)) return false
  }
  return true
}
