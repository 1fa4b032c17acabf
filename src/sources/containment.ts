import { realpathSync } from 'node:fs'
import { isInside } from '../core/index.js'

/**
 * The real path of `abs` when it stays inside `rootReal` (the real path of a scanned
 * root), else `undefined`: a symlink that leads out of what the user asked to scan is
 * not followed. Throws what `realpath` throws (a broken link, a loop, no permission).
 */
export function realPathInside(abs: string, rootReal: string): string | undefined {
  const real = realpathSync.native(abs)
  return isInside(rootReal, real) ? real : undefined
}
