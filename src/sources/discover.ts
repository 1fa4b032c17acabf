import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs'
import path from 'node:path'
import ignore, { type Ignore } from 'ignore'
import { realPathInside } from './containment.js'
import { readBounded, type FoundFile } from './read.js'
import {
  isSkippedFolder,
  describeError,
  isInside,
  notRegularReason,
  outsideRootMessage,
  type Diagnostic,
} from '../core/index.js'

/** Options for {@link discoverFiles}. */
export interface DiscoverOptions {
  cwd: string
  /** Every file, not only manifests, chart templates and kustomization files included (secret scanning). */
  allFiles?: boolean
}

const MAX_IGNORE_FILE_BYTES = 1024 * 1024
const MANIFEST = /\.(ya?ml|json)$/i
const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])

interface IgnoreScope {
  base: string
  rules: Ignore
}

/**
 * Find manifest files (.yaml, .yml, .json) under the given files and folders.
 * Honours `.palisadeignore` files (gitignore syntax, scoped to their folder),
 * skips `.git` and `node_modules`, the `templates/` and `charts/` folders of Helm
 * charts and kustomization files (rendered by their own sources), follows symlinks
 * once (a loop is reported, not followed), and reports unreadable entries as
 * diagnostics instead of failing. A path given explicitly as a file is always read.
 * Each given path is a root: a symlink below it whose real path leads outside the root's
 * real path is reported (naming the link) and not followed, so nothing outside the
 * roots is read. FIFOs, sockets and devices are reported as not regular files, never opened.
 * The file system calls are synchronous: a repository has thousands of small folders, and
 * an asynchronous readdir or realpath per folder spent most of the walk waiting on the
 * thread pool.
 */
export async function discoverFiles(
  paths: readonly string[],
  options: DiscoverOptions,
): Promise<{ files: FoundFile[]; diagnostics: Diagnostic[] }> {
  const files: FoundFile[] = []
  const diagnostics: Diagnostic[] = []
  const seenFiles = new Set<string>()
  const display = (abs: string): string => {
    const rel = path.relative(options.cwd, abs)
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel
  }
  const problem = (abs: string, message: string, error?: unknown): void => {
    diagnostics.push({
      code: 'FILE_UNREADABLE',
      message: error === undefined ? message : `${message}: ${describeError(error)}`,
      span: { file: display(abs), start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    })
  }
  /** `known`: the real path when the caller knows it (a plain file in a resolved folder), saving a realpath call per file. */
  const addFile = async (abs: string, known?: string): Promise<void> => {
    let real: string
    try {
      real = known ?? realpathSync.native(abs)
    } catch (error) {
      problem(abs, 'cannot resolve file', error)
      return
    }
    if (seenFiles.has(real)) return
    seenFiles.add(real)
    files.push({ path: display(abs), absolutePath: abs })
  }

  /** `known`: the real path when the caller knows it (a plain folder in a resolved one); only roots and symlinks need realpath. */
  const walk = async (
    dir: string,
    root: string,
    scopes: readonly IgnoreScope[],
    ancestors: ReadonlySet<string>,
    known?: string,
  ): Promise<void> => {
    let real: string
    try {
      real = known ?? realpathSync.native(dir)
    } catch (error) {
      problem(dir, 'cannot resolve folder', error)
      return
    }
    if (ancestors.has(real)) {
      problem(dir, `symlink loop: ${display(dir)} leads back to ${display(real)}; not followed`)
      return
    }
    const inside = new Set(ancestors).add(real)
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (error) {
      problem(dir, 'cannot read folder', error)
      return
    }
    const names = new Set(entries.map((e) => e.name))
    const local = names.has('.palisadeignore') ? await loadIgnore(dir, root, problem) : undefined
    const active = local ? [...scopes, local] : scopes
    const isChart = names.has('Chart.yaml')
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const abs = path.join(dir, entry.name)
      const wanted = (name: string): boolean =>
        options.allFiles === true || (MANIFEST.test(name) && !KUSTOMIZATION_FILES.has(name))
      let isDir = entry.isDirectory()
      let isFile = entry.isFile()
      let target: string | undefined
      if (entry.isSymbolicLink()) {
        try {
          // Resolve before stat: a link out of the root is neither stat'ed nor read.
          target = realpathSync.native(abs)
          if (!isInside(root, target)) {
            if (!isIgnored(active, abs, false) && !isIgnored(active, abs, true))
              problem(abs, outsideRootMessage(display(abs), display(root)))
            continue
          }
          const info = statSync(target)
          isDir = info.isDirectory()
          isFile = info.isFile()
          if (!isDir && !isFile && wanted(entry.name) && !isIgnored(active, abs, false))
            problem(abs, `${display(abs)} is ${notRegularReason(info) ?? 'not a regular file'}`)
        } catch (error) {
          problem(abs, 'broken symlink', error)
          continue
        }
      } else if (!isDir && !isFile && wanted(entry.name) && !isIgnored(active, abs, false)) {
        // A FIFO, socket or device in the folder: named, never opened.
        problem(abs, `${display(abs)} is ${notRegularReason(entry) ?? 'not a regular file'}`)
        continue
      }
      if (isIgnored(active, abs, isDir)) continue
      if (isDir) {
        if (isSkippedFolder(entry.name)) continue
        if (isChart && !options.allFiles && (entry.name === 'templates' || entry.name === 'charts')) continue
        await walk(abs, root, active, inside, target ?? path.join(real, entry.name))
      } else if (isFile && wanted(entry.name)) {
        await addFile(abs, target ?? path.join(real, entry.name))
      }
    }
  }

  for (const given of paths) {
    const abs = path.resolve(options.cwd, given)
    let info: Stats
    let real: string
    try {
      const link = lstatSync(abs)
      info = link.isSymbolicLink() ? statSync(abs) : link
      real = realpathSync.native(abs)
    } catch (error) {
      problem(abs, `cannot read ${given}`, error)
      continue
    }
    // A path named on the command line is a root of its own, wherever its links lead.
    if (info.isDirectory()) await walk(abs, real, [], new Set(), real)
    else if (info.isFile()) await addFile(abs, real)
    else problem(abs, `${display(abs)} is ${notRegularReason(info) ?? 'not a regular file'}`)
  }
  return { files, diagnostics }
}

/** A folder's .palisadeignore, read like any input: inside the root, a regular file, bounded. */
async function loadIgnore(
  dir: string,
  root: string,
  problem: (abs: string, message: string, error?: unknown) => void,
): Promise<IgnoreScope | undefined> {
  const file = path.join(dir, '.palisadeignore')
  try {
    if (realPathInside(file, root) === undefined) {
      problem(file, outsideRootMessage('.palisadeignore', root))
      return undefined
    }
    const read = readBounded(file, MAX_IGNORE_FILE_BYTES)
    if ('tooLarge' in read) {
      problem(file, `.palisadeignore is over ${MAX_IGNORE_FILE_BYTES} bytes; not used`)
      return undefined
    }
    return { base: dir, rules: ignore().add(read.bytes.toString('utf8')) }
  } catch (error) {
    problem(file, 'cannot read .palisadeignore', error)
    return undefined
  }
}

function isIgnored(scopes: readonly IgnoreScope[], abs: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const rel = path.relative(scope.base, abs).split(path.sep).join('/')
    if (rel === '' || rel.startsWith('..')) continue
    if (scope.rules.ignores(isDir ? `${rel}/` : rel)) return true
  }
  return false
}
