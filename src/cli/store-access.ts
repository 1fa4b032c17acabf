import path from 'node:path'
import { Option, type Command } from 'commander'
import type { PalisadeConfig } from '../config/index.js'
import { openStore, resolveStoreLocation, type Store, type StoreLocation } from '../store/index.js'
import { confinedStoreDir } from '../app/index.js'
import type { CliIo } from './io.js'

/** The `--store` option every command that reads or writes the store shares. */
export function addStoreOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--store <dir|url>',
      'findings store: a folder (embedded PostgreSQL, default .palisade/store) or postgres://user@host:port/db (also PALISADE_STORE_URL; the password from the URL or PGPASSWORD)',
    ),
  )
}

/** Where the store is for this command: --store, PALISADE_STORE_URL, palisade.yaml store.path, .palisade/store. */
export function storeLocation(flag: string | undefined, config: PalisadeConfig | undefined, io: CliIo): StoreLocation {
  const envUrl = io.env.PALISADE_STORE_URL
  // palisade.yaml's store.path is confined to its folder (a repository's say-so); --store and the URL are not.
  const fromConfig =
    (flag === undefined || flag === '') && (envUrl === undefined || envUrl === '') && config !== undefined
      ? confinedStoreDir(config, io.cwd)
      : undefined
  return resolveStoreLocation({
    cwd: io.cwd,
    ...(flag === undefined ? {} : { flag }),
    ...(envUrl === undefined ? {} : { envUrl }),
    ...(fromConfig === undefined
      ? {}
      : { configPath: fromConfig, configRoot: path.resolve(io.cwd, config?.root ?? '.') }),
  })
}

/**
 * Open the store, run `fn`, and close it whatever happens. A command that keeps the store
 * open for long (the dashboard) passes `{ brief: false }`: the embedded engine then runs
 * fully optimised instead of starting fast. `inWorker`: it runs in a worker thread.
 */
export async function withStore<T>(
  location: StoreLocation,
  fn: (store: Store) => Promise<T>,
  options: { brief: boolean; inWorker?: boolean } = { brief: true },
): Promise<T> {
  const store = await openStore(location, { pid: process.pid, ...options })
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}
