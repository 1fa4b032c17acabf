import path from 'node:path'
import { recordScanOutcome, runOrigin, type RefRewrite, type RunOrigin, type ScanOutcome } from '../app/index.js'
import type { CliIo } from './io.js'
import { openStore, type Store, type StoreLocation } from '../store/index.js'
import { storeLocation, withStore } from './store-access.js'
import { VERSION } from './version.js'

/** A store being opened while the scan runs; its location was known before the configuration. */
export interface EarlyStore {
  location: StoreLocation
  store: Promise<Store>
  /** Close it unused (the scan failed). */
  discard(): Promise<void>
}

/**
 * Start opening the store now when --store or PALISADE_STORE_URL names it (palisade.yaml's
 * store.path is not read yet): PGlite's start-up (WebAssembly, recovery) then overlaps the scan.
 */
export function openStoreEarly(flag: string | undefined, io: CliIo): EarlyStore | undefined {
  if (flag === undefined && !io.env.PALISADE_STORE_URL) return undefined
  const location = storeLocation(flag, undefined, io)
  const store = openStore(location, { pid: process.pid, brief: true, inWorker: true })
  // Awaited later (recordScan or discard), where a failure surfaces; until then it must not count as unhandled.
  store.catch(() => undefined)
  return {
    location,
    store,
    discard: () =>
      store.then(
        (s) => s.close(),
        () => undefined,
      ),
  }
}

/**
 * Where the run comes from (repository, ref, commit: four `git` calls), started with the
 * scan: asked after it, the answers wait for the main thread, which formats the report then.
 */
export function originOf(paths: readonly string[], io: CliIo): Promise<RunOrigin> {
  const first = paths.find((p) => p !== '-') ?? '.'
  const origin = runOrigin(path.resolve(io.cwd, first), io.env)
  // Awaited later (recordScan), where a failure surfaces; until then it must not count as unhandled.
  origin.catch(() => undefined)
  return origin
}

/** `scan --record`: record the scan's outcome and say on stderr what changed. */
export async function recordScan(
  outcome: ScanOutcome,
  run: {
    paths: readonly string[]
    startedAt: Date
    durationMs: number
    storeFlag?: string
    early?: EarlyStore
    /** {@link originOf}, when started with the scan. */
    origin?: Promise<RunOrigin>
  },
  io: CliIo,
): Promise<void> {
  const origin = await (run.origin ?? originOf(run.paths, io))
  const record = (store: Store): ReturnType<typeof recordScanOutcome> =>
    recordScanOutcome(
      outcome,
      { origin, startedAt: run.startedAt, durationMs: run.durationMs, toolVersion: VERSION, source: 'scan' },
      store,
      io,
    )
  const {
    outcome: recorded,
    findings,
    rewrite,
  } = run.early
    ? await usingEarly(run.early, record)
    : await withStore(storeLocation(run.storeFlag, outcome.config, io), record, { brief: true, inWorker: true })
  const lifecycle = recorded.lifecycleUpdated
    ? `${recorded.opened} new, ${recorded.fixed} fixed, ${recorded.reopened} reopened`
    : 'not the latest run of this ref (a later commit, or a later start without a commit position, is recorded): lifecycle unchanged'
  io.stderr.write(
    `palisade: recorded run ${recorded.runId} of ${origin.repo}@${origin.ref} (${findings} findings): ${lifecycle}${rewriteNote(rewrite, recorded.lifecycleUpdated)}\n`,
  )
}

/** What Git said about the ref's previous latest commit, when it changed or could not decide anything. */
function rewriteNote(rewrite: RefRewrite, head: boolean): string {
  if (rewrite.kind === 'rewritten' && head)
    return ` (the ref was rewritten: its previous latest commit ${rewrite.headCommit.slice(0, 12)} is not in this commit's history)`
  if (rewrite.kind === 'unknown-head')
    return ` (the ref's latest recorded commit ${rewrite.headCommit.slice(0, 12)} is not in this clone, shallow or pruned: a rewritten history cannot be told, commit positions and start times decide)`
  return ''
}

async function usingEarly<T>(early: EarlyStore, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await early.store
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}
