import { watch, type FSWatcher } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * Call `onChange` (debounced) when anything changes in or below the given paths. Files
 * are watched through their folder, because editors, `git checkout` and Kubernetes
 * ConfigMap/Secret volumes replace files (rename, symlink swap) rather than write them.
 * Callers compare content hashes, so spurious events cost a read and nothing more.
 */
export async function watchFiles(
  paths: readonly string[],
  onChange: () => void,
  options: { debounceMs?: number; onError?: (error: Error) => void } = {},
): Promise<{ close(): void }> {
  const debounce = options.debounceMs ?? 250
  const watchers: FSWatcher[] = []
  let timer: NodeJS.Timeout | undefined
  const fire = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      onChange()
    }, debounce)
  }
  const targets = new Map<string, boolean>()
  for (const p of paths) {
    const info = await stat(p)
    if (info.isDirectory()) targets.set(p, true)
    else if (!targets.has(path.dirname(p))) targets.set(path.dirname(p), false)
  }
  for (const [dir, recursive] of targets) {
    const watcher = watch(dir, { recursive, persistent: false }, fire)
    watcher.on('error', (error) => options.onError?.(error))
    watchers.push(watcher)
  }
  return {
    close() {
      if (timer) clearTimeout(timer)
      for (const w of watchers) w.close()
    },
  }
}
