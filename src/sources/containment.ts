import { realpathSync, type Stats } from 'node:fs'
import path from 'node:path'

/**
 * Whether `real` (a resolved path) is `root` (a resolved path) or below it. Compares
 * path segments, so `/repo-other` is not inside `/repo` and a file named `..x` is.
 */
export function isInside(root: string, real: string): boolean {
  const rel = path.relative(root, real)
  if (rel === '') return true
  if (path.isAbsolute(rel)) return false
  return rel !== '..' && !rel.startsWith(`..${path.sep}`)
}

/**
 * The real path of `abs` when it stays inside `rootReal` (the real path of a scanned
 * root), else `undefined`: a symlink that leads out of what the user asked to scan is
 * not followed. Throws what `realpath` throws (a broken link, a loop, no permission).
 */
export function realPathInside(abs: string, rootReal: string): string | undefined {
  const real = realpathSync.native(abs)
  return isInside(rootReal, real) ? real : undefined
}

/**
 * Why a file system entry cannot be read as a file, or `undefined` for a regular file.
 * FIFOs block on open, devices never end (/dev/zero) or have side effects on open, and
 * sockets cannot be opened: none of them is a manifest.
 */
export function notRegularReason(info: Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string | undefined {
  if (info.isFile()) return undefined
  const kind = info.isDirectory()
    ? 'a folder'
    : info.isFIFO()
      ? 'a FIFO'
      : info.isSocket()
        ? 'a socket'
        : info.isCharacterDevice()
          ? 'a character device'
          : info.isBlockDevice()
            ? 'a block device'
            : 'a special file'
  return `not a regular file (${kind}); not read`
}

/** The message for a symlink that leads out of the scanned root: it names the link, never what it points to. */
export function outsideRootMessage(shownLink: string, shownRoot: string): string {
  return `symlink ${shownLink} leads outside the scanned root ${shownRoot}; not followed`
}
