import { randomBytes } from 'node:crypto'
import { lstat, mkdir, open, realpath, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { removeOnInterrupt } from '../app/index.js'
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
 * must exist: a typo in it is a usage error, not a folder made by accident. A regular file
 * (or a new one) is written under a temporary name beside it and renamed into place at the
 * end, so a run that fails or is interrupted (SIGINT, SIGTERM: interrupt-cleanup.ts removes
 * the temporary file) never leaves a partial report that looks complete; FILE keeps what it
 * held. Devices and pipes (`-o /dev/stdout`) are written in place.
 */
export async function writeOutputFile(
  cwd: string,
  given: string,
  data: string | Iterable<string | Uint8Array>,
): Promise<void> {
  try {
    await writeReplacing(path.resolve(cwd, given), (handle) =>
      typeof data === 'string' ? handle.writeFile(data) : writePieces(handle, data),
    )
  } catch (error) {
    throw outputError(given, error, 'name a file in an existing folder, e.g. -o report.json')
  }
}

async function writeReplacing(file: string, write: (handle: FileHandle) => Promise<void>, aside = true): Promise<void> {
  const target = aside ? await replaceable(file) : undefined
  if (target === undefined) {
    const handle = await open(file, 'w')
    try {
      await write(handle)
    } finally {
      await handle.close()
    }
    return
  }
  const temp = path.join(
    path.dirname(target.path),
    `.${path.basename(target.path)}.palisade-${randomBytes(6).toString('hex')}.tmp`,
  )
  const forget = removeOnInterrupt(temp)
  let handle: FileHandle
  try {
    handle = await open(temp, 'wx', target.mode)
  } catch (error) {
    forget()
    // A folder the runner may not create files in, holding a file it may write: write that in place.
    if (!['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
    return writeReplacing(file, write, false)
  }
  try {
    try {
      await write(handle)
      if (target.mode !== undefined) await handle.chmod(target.mode)
    } finally {
      await handle.close()
    }
    await rename(temp, target.path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  } finally {
    forget()
  }
}

/** Where a report can be renamed into place (a new file, or the regular file a path or its link names, with its mode); undefined for anything else. */
async function replaceable(file: string): Promise<{ path: string; mode?: number } | undefined> {
  const info = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (info === undefined) return { path: file }
  const real = info.isSymbolicLink() ? await realpath(file).catch(() => undefined) : file
  if (real === undefined) return undefined
  const target = info.isSymbolicLink() ? await stat(real) : info
  return target.isFile() ? { path: real, mode: target.mode & 0o777 } : undefined
}

/**
 * Write pieces as they come, about 1 MB at a time: a 100 MB report is never one string, nor
 * an array of its pieces. Bytes (a spool's copy) are written as they are.
 */
async function writePieces(handle: FileHandle, pieces: Iterable<string | Uint8Array>): Promise<void> {
  let batch: string[] = []
  let size = 0
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      if (batch.length > 0) await handle.write(batch.join(''))
      batch = []
      size = 0
      for (let done = 0; done < piece.length;)
        done += (await handle.write(piece, done, piece.length - done)).bytesWritten
      continue
    }
    batch.push(piece)
    size += piece.length
    if (size < 1 << 20) continue
    await handle.write(batch.join(''))
    batch = []
    size = 0
  }
  if (batch.length > 0) await handle.write(batch.join(''))
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
