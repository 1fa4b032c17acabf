import path from 'node:path'
import type { CheckResult } from '../core/index.js'
import type { ConfigResolver } from '../config/index.js'
import { runFromResult, type RunOutcome, type Store } from '../store/index.js'
import type { CliIo } from './io.js'
import { runOrigin, storeLocation, withStore, type RunOrigin } from './store-access.js'
import { VERSION } from './version.js'

/** What `scan --record` needs besides the result. */
export interface ScanRecording {
  result: CheckResult
  resolver: ConfigResolver
  paths: readonly string[]
  startedAt: Date
  durationMs: number
  storeFlag?: string
  /** Set by `history import`: the commit being replayed, and an open store. */
  origin?: RunOrigin
  store?: Store
  source?: 'scan' | 'history'
}

/** Record a scan's result in the store; says on stderr what changed. */
export async function recordScan(rec: ScanRecording, io: CliIo): Promise<RunOutcome> {
  const first = rec.paths.find((p) => p !== '-') ?? '.'
  const origin = rec.origin ?? (await runOrigin(path.resolve(io.cwd, first), io.env))
  const config = rec.resolver.config
  const run = runFromResult(rec.result, {
    meta: { repo: origin.repo, ref: origin.ref, ...(origin.commit === undefined ? {} : { commit: origin.commit }), startedAt: rec.startedAt, durationMs: rec.durationMs, toolVersion: VERSION, source: rec.source ?? 'scan' },
    environments: config.environments.map((e) => e.name),
    actionFor: (policy, severity, env) => rec.resolver.actionFor(policy, severity, env),
    root: origin.root,
    relative: (root, file) => path.relative(root, path.resolve(io.cwd, file)).split(path.sep).join('/'),
  })
  const write = (store: Store): Promise<RunOutcome> => store.recordRun(run)
  const outcome = rec.store ? await write(rec.store) : await withStore(storeLocation(rec.storeFlag, config, io), write)
  if (rec.source !== 'history') {
    const lifecycle = outcome.lifecycleUpdated ? `${outcome.opened} new, ${outcome.fixed} fixed, ${outcome.reopened} reopened` : 'a later run of this ref is already recorded: lifecycle unchanged'
    io.stderr.write(`palisade: recorded run ${outcome.runId} of ${origin.repo}@${origin.ref} (${run.findings.length} findings): ${lifecycle}\n`)
  }
  return outcome
}
