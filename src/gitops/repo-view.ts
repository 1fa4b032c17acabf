import { copyFile, constants, lstat, mkdir, readdir, readlink, realpath, symlink } from 'node:fs/promises'
import path from 'node:path'
import { isSkippedFolder } from '../core/index.js'

/** A symbolic link of the repository that was not given to the renderers. */
export interface RemovedLink {
  /** Absolute path of the link in the repository. */
  path: string
  /** Why it was left out: where it points, or what kind of file it is. */
  reason: string
}

/**
 * What renderers see of one repository: a copy of exactly what it contains (regular files,
 * folders, and symbolic links whose target stays inside it, re-pointed into the copy), so a
 * link to /proc/self/environ, ~/.kube/config or a file elsewhere on the runner cannot be
 * read by a template. Links that leave the repository, FIFOs, sockets and devices are left
 * out and listed. `.git` and `node_modules` are not copied.
 */
export interface RepoView {
  /** Real path of the repository. */
  root: string
  /** Where the copy is. */
  dir: string
  removed: RemovedLink[]
  /** A repository path → the same path in the copy (paths outside the repository are returned as they are). */
  toView(abs: string): string
  /** A copy path → the repository path. */
  fromView(abs: string): string
}

/** Folders no chart or overlay reads, as the inventory skips them. */

const inside = (root: string, abs: string): boolean => {
  const rel = path.relative(root, abs)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/** Copy `root` into `dir` (which must not exist) as renderers may see it. */
export async function createRepoView(root: string, dir: string): Promise<RepoView> {
  const real = await realpath(root)
  const removed: RemovedLink[] = []
  const links: { at: string; target: string }[] = []
  const walk = async (from: string, to: string): Promise<void> => {
    await mkdir(to, { recursive: true })
    // All entries at once: libuv's thread pool bounds the copies in flight.
    await Promise.all(
      (await readdir(from, { withFileTypes: true })).map(async (entry) => {
        const src = path.join(from, entry.name)
        const dst = path.join(to, entry.name)
        if (entry.isDirectory()) {
          if (!isSkippedFolder(entry.name)) await walk(src, dst)
        } else if (entry.isFile()) {
          await copyFile(src, dst, constants.COPYFILE_FICLONE)
        } else if (entry.isSymbolicLink()) {
          const target = await realpath(src).catch(() => undefined)
          if (target === undefined)
            removed.push({
              path: src,
              reason: `a symbolic link to ${await readlink(src).catch(() => '?')} that does not resolve`,
            })
          else if (!inside(real, target))
            removed.push({ path: src, reason: 'a symbolic link that leaves the repository' })
          else if (path.relative(real, target).split(path.sep).some(isSkippedFolder))
            removed.push({ path: src, reason: 'a symbolic link into .git or node_modules' })
          else links.push({ at: dst, target: path.join(dir, path.relative(real, target)) })
        } else {
          removed.push({ path: src, reason: 'not a regular file (FIFO, socket or device)' })
        }
      }),
    )
  }
  await walk(real, dir)
  // Links are made last: their targets are in the copy by then.
  for (const l of links) {
    const info = await lstat(l.target).catch(() => undefined)
    if (info) await symlink(l.target, l.at)
  }
  const mapBack = path.resolve(root)
  return {
    root: mapBack,
    dir,
    removed: removed
      .map((r) => ({ ...r, path: path.join(mapBack, path.relative(real, r.path)) }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    toView: (abs) =>
      inside(mapBack, abs)
        ? path.join(dir, path.relative(mapBack, abs))
        : inside(real, abs)
          ? path.join(dir, path.relative(real, abs))
          : abs,
    fromView: (abs) => (inside(dir, abs) ? path.join(mapBack, path.relative(dir, abs)) : abs),
  }
}

/** True when `abs` is `root` or below it (lexically). */
export function isInside(root: string, abs: string): boolean {
  return inside(root, abs)
}
