import path from 'node:path'
import { Option, type Command } from 'commander'
import type { PalisadeConfig } from '../config/index.js'
import { openStore, resolveStoreLocation, type Store, type StoreLocation } from '../store/index.js'
import { runGit } from '../git/index.js'
import type { CliIo } from './io.js'

/** The `--store` option every command that reads or writes the store shares. */
export function addStoreOption(command: Command): Command {
  return command.addOption(new Option('--store <dir|url>', 'findings store: a folder (embedded PostgreSQL, default .palisade/store) or postgres://user@host:port/db (also PALISADE_STORE_URL; the password from the URL or PGPASSWORD)'))
}

/** Where the store is for this command: --store, PALISADE_STORE_URL, palisade.yaml store.path, .palisade/store. */
export function storeLocation(flag: string | undefined, config: PalisadeConfig | undefined, io: CliIo): StoreLocation {
  const envUrl = io.env.PALISADE_STORE_URL
  return resolveStoreLocation({
    cwd: io.cwd,
    ...(flag === undefined ? {} : { flag }),
    ...(envUrl === undefined ? {} : { envUrl }),
    ...(config?.store?.path === undefined ? {} : { configPath: config.store.path, configRoot: path.resolve(io.cwd, config.root) }),
  })
}

/** Open the store, run `fn`, and close it whatever happens. */
export async function withStore<T>(location: StoreLocation, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(location, { pid: process.pid })
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

/** Where a run comes from: the repository's identity, the ref and the commit. */
export interface RunOrigin {
  repo: string
  ref: string
  commit?: string
  /** The repository's top folder, that recorded file paths are relative to. */
  root: string
}

/**
 * Identify the scanned repository: its origin URL without credentials (or its folder's
 * name), the ref (CI variables first, then the current branch) and HEAD. A folder that
 * is not in a Git repository is recorded as its name, ref `local`, no commit.
 */
export async function runOrigin(folder: string, env: CliIo['env']): Promise<RunOrigin> {
  const git = async (args: string[]): Promise<string | undefined> => {
    const out = await runGit(args, { cwd: folder, okCodes: [0, 1, 2, 128] })
    return out.code === 0 ? out.stdout.toString('utf8').trim() || undefined : undefined
  }
  const top = await git(['rev-parse', '--show-toplevel'])
  if (top === undefined) return { repo: path.basename(path.resolve(folder)), ref: 'local', root: path.resolve(folder) }
  const remote = await git(['config', '--get', 'remote.origin.url'])
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || (await git(['symbolic-ref', '--short', '-q', 'HEAD'])) || 'detached'
  const commit = await git(['rev-parse', '--verify', '-q', 'HEAD'])
  return { repo: remote === undefined ? path.basename(top) : repoIdentity(remote), ref: branch, ...(commit === undefined ? {} : { commit }), root: top }
}

/** `https://user:token@github.com/acme/apps.git`, `git@github.com:acme/apps.git` → `github.com/acme/apps`. */
export function repoIdentity(remote: string): string {
  const scp = /^[^@/]+@([^:/]+):(.+)$/.exec(remote)
  let host: string
  let rest: string
  if (scp) {
    host = scp[1] as string
    rest = scp[2] as string
  } else {
    try {
      const u = new URL(remote)
      host = u.host
      rest = u.pathname
    } catch {
      // Not a URL (a local path remote): its last part names it; no credentials can be in it.
      return path.basename(remote).replace(/\.git$/, '')
    }
  }
  return `${host}/${rest.replace(/^\/+/, '').replace(/\.git$/, '').replace(/\/+$/, '')}`
}
