import { constants, type FileHandle, lstat, open, realpath } from 'node:fs/promises'
import path from 'node:path'
import { isInside } from '../core/index.js'
import type { FixOutcome } from '../fix/index.js'

/**
 * Open a file that `fix` is about to write, without following a link that replaced it after
 * the scan: the last component is opened with O_NOFOLLOW (unless it is itself a root named on
 * the command line), and the real folder it is in must still be inside a scanned root (a folder
 * on the way swapped for a link to outside is refused). Returns the handle or why not.
 */
export async function openForFix(abs: string, roots: readonly string[]): Promise<FileHandle | string> {
  const isRoot = roots.some((root) => path.resolve(root) === abs)
  const realDir = await realpath(path.dirname(abs)).catch(() => undefined)
  if (!isRoot) {
    const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => path.resolve(r))))
    if (realDir === undefined || !realRoots.some((root) => isInside(root, realDir)))
      return 'its folder is no longer inside the scanned roots'
    if ((await lstat(abs).catch(() => undefined))?.isSymbolicLink()) return 'it was replaced by a symbolic link'
  }
  try {
    return await open(abs, constants.O_RDWR | (isRoot ? 0 : constants.O_NOFOLLOW))
  } catch (error) {
    return `it cannot be opened (${(error as NodeJS.ErrnoException).code ?? String(error)})`
  }
}

/**
 * Write the proven texts. A file whose bytes changed since they were read, that was replaced
 * by a link, or that moved out of the scanned roots is not written (and reported as rolled
 * back); the check and the write go through one open handle, so nothing can be swapped in
 * between. A UTF-8 byte order mark is kept.
 */
export async function writeProvenFiles(outcome: FixOutcome, cwd: string, roots: readonly string[]): Promise<void> {
  const written: FixOutcome['files'] = []
  for (const file of outcome.files) {
    const handle = await openForFix(path.resolve(cwd, file.file), roots)
    let reason: string | undefined = typeof handle === 'string' ? handle : undefined
    if (typeof handle !== 'string') {
      try {
        const bytes = await handle.readFile()
        const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
        if (bytes.subarray(bom ? 3 : 0).toString('utf8') !== file.before)
          reason = 'the file changed (or is not UTF-8) while palisade fix ran'
        else {
          const out = Buffer.from((bom ? '\ufeff' : '') + file.after, 'utf8')
          await handle.truncate(0)
          await handle.write(out, 0, out.length, 0)
        }
      } finally {
        await handle.close()
      }
    }
    if (reason === undefined) {
      written.push(file)
      continue
    }
    outcome.rolledBack.push({ file: file.file, reasons: [`${reason}; not written`] })
    for (const a of file.applied) outcome.left.push({ item: a.finding, reason: 'rolled-back', detail: reason })
  }
  outcome.files = written
}
