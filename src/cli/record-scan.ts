import path from 'node:path'
import { recordScanOutcome, runOrigin, type ScanOutcome } from '../app/index.js'
import type { CliIo } from './io.js'
import { storeLocation, withStore } from './store-access.js'
import { VERSION } from './version.js'

/** `scan --record`: record the scan's outcome and say on stderr what changed. */
export async function recordScan(outcome: ScanOutcome, run: { paths: readonly string[]; startedAt: Date; durationMs: number; storeFlag?: string }, io: CliIo): Promise<void> {
  const first = run.paths.find((p) => p !== '-') ?? '.'
  const origin = await runOrigin(path.resolve(io.cwd, first), io.env)
  const { outcome: recorded, findings } = await withStore(storeLocation(run.storeFlag, outcome.config, io), (store) =>
    recordScanOutcome(outcome, { origin, startedAt: run.startedAt, durationMs: run.durationMs, toolVersion: VERSION, source: 'scan' }, store, io),
  )
  const lifecycle = recorded.lifecycleUpdated ? `${recorded.opened} new, ${recorded.fixed} fixed, ${recorded.reopened} reopened` : 'a later run of this ref is already recorded: lifecycle unchanged'
  io.stderr.write(`palisade: recorded run ${recorded.runId} of ${origin.repo}@${origin.ref} (${findings} findings): ${lifecycle}\n`)
}
