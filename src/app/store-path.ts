import { lstatSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { describeError, type Diagnostic } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { ConfigError } from './load-config.js'

/**
 * The folder palisade.yaml's `store.path` names, confined to the configuration file's
 * folder: parsing refuses absolute paths and `..` (src/config/store-path.ts); here a
 * symlink on the way (an existing folder, or the store folder itself) that leads out is a
 * configuration error at store.path's line. Whoever runs the job can still point the
 * store anywhere with --store or PALISADE_STORE_URL (not checked here).
 */
export function confinedStoreDir(config: PalisadeConfig, cwd: string): string | undefined {
  const given = config.store?.path
  if (given === undefined) return undefined
  const root = path.resolve(cwd, config.root)
  const target = path.resolve(root, given)
  const refuse = (why: string): never => {
    const diagnostic: Diagnostic = {
      code: 'CONFIG_INVALID',
      message: `store.path ${given} ${why}: the findings store must stay inside the configuration file's folder`,
      ...(config.store?.pathSpan ? { span: config.store.pathSpan } : {}),
      hint: 'give a folder inside it, or put the store elsewhere with --store or PALISADE_STORE_URL',
    }
    throw new ConfigError([diagnostic])
  }
  const inside = (parent: string, child: string): boolean => {
    const relative = path.relative(parent, child)
    return !relative.startsWith('..') && !path.isAbsolute(relative)
  }
  if (!inside(root, target)) refuse('leaves it')
  // The deepest part of the path that exists decides where the store lands (a dangling symlink refuses).
  let existing = target
  for (;;) {
    try {
      lstatSync(existing)
      break
    } catch {
      const up = path.dirname(existing)
      if (up === existing) break
      existing = up
    }
  }
  let real: string
  try {
    real = realpathSync(existing)
  } catch (error) {
    return refuse(`cannot be resolved (${describeError(error)})`)
  }
  let realRoot: string
  try {
    realRoot = realpathSync(root)
  } catch {
    realRoot = root
  }
  if (!inside(realRoot, real)) refuse(`leads out through a symlink (to ${real})`)
  return target
}
