import { open, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { ToolError } from '../core/index.js'

/** The lock file inside an embedded store's folder. */
export const LOCK_FILE = 'palisade-store.lock'

/**
 * Hold the embedded store's folder for this process. PGlite is one process, one
 * connection: two processes opening one folder would corrupt it, so a second writer
 * (another CI job on the same runner) waits here until the first closes the store.
 * A lock left by a process that no longer runs (killed) is taken over.
 *
 * @returns a function that releases the lock
 */
export async function lockFolder(dir: string, options: { waitMs: number; pid: number }): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE)
  const deadline = Date.now() + options.waitMs
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(String(options.pid))
      await handle.close()
      return async () => {
        await rm(file, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ToolError('STORAGE_UNAVAILABLE', `cannot lock the store folder ${dir}: ${(error as Error).message}`, {
          cause: error,
        })
      }
    }
    const holder = await readHolder(file)
    if (holder !== undefined && !isRunning(holder)) {
      // The holder died (killed mid-run): its transaction never committed, so the folder is consistent.
      await rm(file, { force: true })
      continue
    }
    if (Date.now() >= deadline) {
      throw new ToolError('STORAGE_UNAVAILABLE', `the store folder ${dir} is in use by process ${holder ?? '?'}`, {
        hint: 'wait for the other palisade run to finish; use a PostgreSQL store (--store postgres://...) for many concurrent writers',
      })
    }
    await new Promise((resolve) => setTimeout(resolve, delay))
  }
}

async function readHolder(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ToolError('STORAGE_UNAVAILABLE', `cannot read the store lock ${file}`, { cause: error })
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
