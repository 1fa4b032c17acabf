import path from 'node:path'

/**
 * Whether `real` (a resolved path) is `root` (a resolved path) or below it. Compares
 * path segments, so `/repo-other` is not inside `/repo` and a file named `..x` is.
 * Pure: callers resolve both paths (realpath) first.
 */
export function isInside(root: string, real: string): boolean {
  const rel = path.relative(root, real)
  if (rel === '') return true
  if (path.isAbsolute(rel)) return false
  return rel !== '..' && !rel.startsWith(`..${path.sep}`)
}

/** What `notRegularReason` needs of an fs.Stats or fs.Dirent. */
export interface FileKind {
  isFile(): boolean
  isDirectory(): boolean
  isFIFO(): boolean
  isSocket(): boolean
  isCharacterDevice(): boolean
  isBlockDevice(): boolean
}

/**
 * Why a file system entry cannot be read as a file, or `undefined` for a regular file.
 * FIFOs block on open, devices never end (/dev/zero) or act on open, and sockets cannot
 * be opened: none of them is a manifest.
 */
export function notRegularReason(info: FileKind): string | undefined {
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
