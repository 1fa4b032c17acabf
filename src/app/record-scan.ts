import path from 'node:path'
import { runFromResult, type RunOutcome, type Store } from '../store/index.js'
import type { AppIo } from './io.js'
import { refRewrite, type RefRewrite } from './ref-rewrite.js'
import type { RunOrigin } from './run-origin.js'
import type { ScanOutcome } from './scan.js'

/** What recording needs besides the scan's outcome. */
export interface RecordContext {
  origin: RunOrigin
  startedAt: Date
  durationMs: number
  toolVersion: string
  source: 'scan' | 'history'
}

/**
 * Record a complete scan (the result is already redacted: the store never holds a secret
 * the report would not print) as one run: findings with file paths relative to the
 * repository's top, the action of every policy in every environment, the policy digest.
 * A live scan (not history import, which walks one history in order) first asks Git whether
 * the ref was rewritten since its latest run (ref-rewrite.ts): then this run replaces it.
 */
export async function recordScanOutcome(
  outcome: ScanOutcome,
  context: RecordContext,
  store: Store,
  io: Pick<AppIo, 'cwd'>,
): Promise<{ outcome: RunOutcome; findings: number; rewrite: RefRewrite }> {
  const { origin } = context
  const rewrite: RefRewrite = context.source === 'scan' ? await refRewrite(store, origin) : { kind: 'same-history' }
  // Many findings share a file: each path is made relative once.
  const relativePaths = new Map<string, string>()
  const relative = (root: string, file: string): string => {
    let rel = relativePaths.get(file)
    if (rel === undefined) {
      rel = path.relative(root, path.resolve(io.cwd, file)).split(path.sep).join('/')
      relativePaths.set(file, rel)
    }
    return rel
  }
  const run = runFromResult(outcome.result, {
    meta: {
      repo: origin.repo,
      ref: origin.ref,
      ...(origin.commit === undefined ? {} : { commit: origin.commit }),
      ...(origin.position === undefined ? {} : { position: origin.position }),
      ...(rewrite.kind === 'rewritten' ? { rewrites: rewrite.rewrites } : {}),
      startedAt: context.startedAt,
      durationMs: context.durationMs,
      toolVersion: context.toolVersion,
      source: context.source,
    },
    environments: outcome.config.environments.map((e) => e.name),
    actionFor: (policy, severity, env) => outcome.resolver.actionFor(policy, severity, env),
    root: origin.root,
    relative,
  })
  return { outcome: await store.recordRun(run), findings: run.findings.length, rewrite }
}
