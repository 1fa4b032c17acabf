import { mkdir, open, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ToolError } from '../core/index.js'

/** fs error codes that mean the user named an output path that cannot be written. */
const USER_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'a file of that name is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
}

/**
 * Why an output path cannot be written, as a usage error (exit 2, no stack trace), or the
 * error itself when it is not about the path.
 */
function outputError(given: string, error: unknown, hint: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const why = code === undefined ? undefined : USER_ERRORS[code]
  return why === undefined
    ? error
    : new ToolError('USAGE', `cannot write ${given}: ${why} (${code})`, { cause: error, hint })
}

/**
 * Write a report (text, or pieces of it) to `--output FILE`, relative to `cwd`. The folder
 * must exist: a typo in it is a usage error, not a folder made by accident.
 */
export async function writeOutputFile(cwd: string, given: string, data: string | Iterable<string>): Promise<void> {
  try {
    if (typeof data === 'string') await writeFile(path.resolve(cwd, given), data)
    else await writePieces(path.resolve(cwd, given), data)
  } catch (error) {
    throw outputError(given, error, 'name a file in an existing folder, e.g. -o report.json')
  }
}

/** Write pieces as they come, about 1 MB at a time: a 100 MB report is never one string, nor an array of its pieces. */
async function writePieces(file: string, pieces: Iterable<string>): Promise<void> {
  const handle = await open(file, 'w')
  try {
    let batch: string[] = []
    let size = 0
    for (const piece of pieces) {
      batch.push(piece)
      size += piece.length
      if (size < 1 << 20) continue
      await handle.write(batch.join(''))
      batch = []
      size = 0
    }
    if (batch.length > 0) await handle.write(batch.join(''))
  } finally {
    await handle.close()
  }
}

/** Make sure `--output DIR` is a folder (created when missing, with its parents); its absolute path. */
export async function outputFolder(cwd: string, given: string): Promise<string> {
  const dir = path.resolve(cwd, given)
  try {
    await mkdir(dir, { recursive: true })
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'EEXIST' })
  } catch (error) {
    throw outputError(given, error, 'name a folder (it is created when missing), not an existing file')
  }
  return dir
}

/** Write one file inside a folder made by {@link outputFolder}. */
export async function writeIntoFolder(dir: string, name: string, text: string): Promise<void> {
  try {
    await writeFile(path.join(dir, name), text)
  } catch (error) {
    throw outputError(path.join(dir, name), error, 'check the output folder')
  }
}
