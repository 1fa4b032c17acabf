import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import ignore, { type Ignore } from 'ignore'
import {
  isSkippedFolder,
  describeError,
  isInside,
  notRegularReason,
  outsideRootMessage,
  type Diagnostic,
} from '../core/index.js'

/** What a repository holds that decides how it is rendered. Paths are absolute. */
export interface Inventory {
  root: string
  charts: string[]
  /** Per chart folder, its `values-<name>.yaml` / `values.<name>.yaml` files. */
  chartValues: Map<string, string[]>
  kustomizations: { dir: string; file: string }[]
  /** YAML files that mention Argo CD or Flux API groups, with their text. */
  gitopsFiles: { file: string; text: string }[]
  /** Chart and kustomization folders whose templates or files name Argo CD or Flux kinds (they may declare applications). */
  declaresApps: Set<string>
  /** Every folder walked, and those holding *.jsonnet or *.libsonnet files. */
  dirs: Set<string>
  jsonnetDirs: Set<string>
  diagnostics: Diagnostic[]
}

/**
 * How the inventory reads a YAML file: its bytes, or its size when it is over the scan's
 * limit, or `namesNoGitOps` when the caller read the bytes already and `namesGitOpsGroup`
 * said no (a streaming scan's first pass reads every file anyway).
 */
export type ReadFile = (absolutePath: string) => { bytes: Buffer } | { tooLarge: number } | { namesNoGitOps: true }

/** Read the whole file (callers that share reads with the manifest reader pass their own). */
export const readWholeFile: ReadFile = (absolutePath) => ({ bytes: readFileSync(absolutePath) })

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
const GITOPS_HINT = /apiVersion:\s*["']?(argoproj\.io|[a-z.]*\.fluxcd\.io)\//

/** Whether a YAML file's bytes may hold an Argo CD or Flux object (a Buffer search, at memory speed): the others are not decoded. */
export function namesGitOpsGroup(bytes: Uint8Array): boolean {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return b.includes('argoproj.io') || b.includes('fluxcd.io')
}

/**
 * Walk a folder for Helm charts (Chart.yaml), Kustomize overlays (kustomization.yaml,
 * kustomization.yml, Kustomization) and files holding Argo CD or Flux objects. A chart's
 * templates/ and charts/ folders are not walked (they are rendered by helm), nor .git and
 * node_modules, nor what a `.palisadeignore` (gitignore syntax, scoped to its folder)
 * excludes. Unreadable folders are diagnostics.
 */
export async function takeInventory(
  root: string,
  display: (abs: string) => string,
  readYaml: ReadFile = readWholeFile,
): Promise<Inventory> {
  const inventory: Inventory = {
    root,
    charts: [],
    chartValues: new Map(),
    kustomizations: [],
    gitopsFiles: [],
    declaresApps: new Set(),
    dirs: new Set(),
    jsonnetDirs: new Set(),
    diagnostics: [],
  }
  const problem = (abs: string, error: unknown): void => {
    inventory.diagnostics.push({
      code: 'FILE_UNREADABLE',
      message: `cannot read ${display(abs)}: ${describeError(error)}`,
      span: { file: display(abs), start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    })
  }
  const rootReal = realpathSync.native(root)
  const walk = async (dir: string, scopes: readonly { base: string; rules: Ignore }[]): Promise<void> => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true }) // sync: see sources/discover.ts
    } catch (error) {
      problem(dir, error)
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    inventory.dirs.add(dir)
    if (entries.some((e) => /\.(jsonnet|libsonnet)$/.test(e.name))) inventory.jsonnetDirs.add(dir)
    const names = new Set(entries.map((e) => e.name))
    let active = scopes
    if (names.has('.palisadeignore')) {
      const file = path.join(dir, '.palisadeignore')
      try {
        // Read like any input: inside the root and a regular file (a FIFO would block the walk).
        const real = realpathSync.native(file)
        if (!isInside(rootReal, real)) throw new Error(outsideRootMessage('.palisadeignore', display(root)))
        const reason = notRegularReason(statSync(real))
        if (reason !== undefined) throw new Error(reason)
        active = [...scopes, { base: dir, rules: ignore().add(await readFile(real, 'utf8')) }]
      } catch (error) {
        problem(file, error)
      }
    }
    const ignored = (abs: string, isDir: boolean): boolean =>
      active.some((scope) => {
        const rel = path.relative(scope.base, abs).split(path.sep).join('/')
        return rel !== '' && !rel.startsWith('..') && scope.rules.ignores(isDir ? `${rel}/` : rel)
      })
    const isChart = names.has('Chart.yaml')
    if (isChart) {
      if (await templatesMention(path.join(dir, 'templates'))) inventory.declaresApps.add(dir)
      inventory.charts.push(dir)
      inventory.chartValues.set(
        dir,
        entries.filter((e) => e.isFile() && /^values[-.].+\.ya?ml$/i.test(e.name)).map((e) => e.name),
      )
    }
    const kustomization = KUSTOMIZATION_FILES.find((n) => names.has(n))
    if (kustomization) inventory.kustomizations.push({ dir, file: path.join(dir, kustomization) })
    for (const entry of entries) {
      const abs = path.join(dir, entry.name)
      if (ignored(abs, entry.isDirectory())) continue
      if (entry.isDirectory()) {
        if (isSkippedFolder(entry.name) || (isChart && (entry.name === 'templates' || entry.name === 'charts')))
          continue
        await walk(abs, active)
      } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        let read: ReturnType<ReadFile>
        try {
          read = readYaml(abs) // sync: thousands of small files, see sources/read.ts
        } catch (error) {
          problem(abs, error)
          continue
        }
        // Over the size limit: the manifest reader reports it (FILE_TOO_LARGE).
        if ('tooLarge' in read || 'namesNoGitOps' in read) continue
        if (!namesGitOpsGroup(read.bytes)) continue
        const text = read.bytes.toString('utf8')
        if (GITOPS_HINT.test(text)) inventory.gitopsFiles.push({ file: abs, text })
      }
    }
  }
  await walk(root, [])
  for (const { dir } of inventory.kustomizations) {
    if (inventory.gitopsFiles.some((f) => f.file.startsWith(`${dir}${path.sep}`))) inventory.declaresApps.add(dir)
  }
  return inventory

  async function templatesMention(dir: string): Promise<boolean> {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new Error(`cannot read ${display(dir)}`, { cause: error })
    })
    for (const e of entries) {
      if (!e.isFile()) continue
      const text = await readFile(path.join(e.parentPath, e.name), 'utf8')
      if (GITOPS_HINT.test(text)) return true
    }
    return false
  }
}

/**
 * Whether a folder holds a Helm chart or a Kustomize overlay where `takeInventory` would
 * find one (the same walk, no YAML file read): without them, only files that name an Argo
 * CD or Flux group can give the GitOps scan anything to render.
 */
export async function holdsChartsOrOverlays(root: string, display: (abs: string) => string): Promise<boolean> {
  const found = await takeInventory(root, display, () => ({ namesNoGitOps: true }))
  return found.charts.length > 0 || found.kustomizations.length > 0
}
