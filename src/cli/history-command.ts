import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { ToolError } from '../core/index.js'
import { withLayoutEnvironments } from '../config/index.js'
import { DEFAULT_MAX_HISTORY_COMMITS, importHistory, loadConfig, type HistoryPlan } from '../app/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import type { CliIo } from './io.js'
import { EXIT } from './io.js'
import { VERSION } from './version.js'
import { addStoreOption, storeLocation, withStore } from './store-access.js'

interface ImportFlags {
  since?: string
  maxCommits: number
  ref?: string
  policies?: string
  config?: string
  render: boolean
  store?: string
}

/** `palisade history import`: scan past commits and record them, so trends start on day one. */
export function historyCommand(io: CliIo, setExit: (code: number) => void): Command {
  const history = new Command('history').description("The findings store's history of this repository.")
  const importCommand = new Command('import')
    .description(
      'Scan each past commit of the current branch (first-parent history) as it was, and record the runs, commit signatures and deployments in the findings store. Commits already recorded are skipped.',
    )
    .argument('[paths...]', 'folders and files to scan inside each commit, relative to the repository root', ['.'])
    .option('--since <date>', 'only commits since this date (YYYY-MM-DD) or this long ago (90d, 12w)')
    .option(
      '--max-commits <n>',
      'scan at most this many commits per run, the newest not yet recorded (about 0.25 s each); older ones are named on stderr and left for the next run',
      maxCommitsArg,
      DEFAULT_MAX_HISTORY_COMMITS,
    )
    .option('--ref <ref>', 'the branch or ref to replay (default: the current branch)')
    .option('-p, --policies <list>', 'policy sets and ids, as for scan')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml of each commit)')
    .option('--no-render', 'scan plain manifest files only (no Helm, Kustomize, Argo CD or Flux rendering)')
  addStoreOption(importCommand)
    .addHelpText(
      'after',
      '\nExamples:\n  palisade history import --since 90d\n  palisade history import --max-commits 5000   a long history in one run (default 500)\n  palisade history import clusters/ --since 2026-01-01 --store postgres://palisade@db/palisade\n\nThen: palisade stats, palisade dashboard.',
    )
    .action(async (paths: string[], flags: ImportFlags) => setExit(await runImport(paths, flags, io)))
  importCommand
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
  return history.addCommand(importCommand)
}

async function runImport(paths: string[], flags: ImportFlags, io: CliIo): Promise<number> {
  const config = withLayoutEnvironments(await loadConfig(flags.config, [], io))
  const since = flags.since === undefined ? undefined : sinceArg(flags.since, io.now())
  const scan = {
    render: flags.render,
    maxFileSize: DEFAULT_MAX_FILE_BYTES,
    kubernetesVersion: '1.35',
    ...(flags.policies ? { policies: flags.policies } : {}),
    ...(flags.config ? { config: path.resolve(io.cwd, flags.config) } : {}),
  }
  const done = await withStore(storeLocation(flags.store, config, io), (store) =>
    importHistory(
      {
        paths,
        ...(since ? { since } : {}),
        ...(flags.ref ? { ref: flags.ref } : {}),
        maxCommits: flags.maxCommits,
        scan,
        config,
        toolVersion: VERSION,
        onPlan: (plan) => io.stderr.write(planText(plan)),
        onFutureDate: (sha, claimed) =>
          io.stderr.write(
            `palisade: history: commit ${sha.slice(0, 12)} claims a commit time in the future (${claimed.toISOString()}): its run is recorded at the import's time\n`,
          ),
        onCommit: (i, n, sha, at) =>
          io.stderr.write(
            `palisade: history ${i}/${n} ${sha.slice(0, 12)} ${at.toISOString().slice(0, 10)} recorded\n`,
          ),
      },
      store,
      io,
    ),
  )
  const already = done.commits - done.recorded - done.notImported
  const cut = done.notImported > 0 ? `, ${done.notImported} older not imported (--max-commits ${flags.maxCommits})` : ''
  io.stdout.write(
    `Recorded ${done.recorded} of ${done.commits} commits of ${done.repo}@${done.ref} (${already} already recorded${cut}); ${done.deployments} deployments.\n`,
  )
  return EXIT.OK
}

/** What the import is about to do, and, when the bound cuts the history, which commits it leaves and how to get them. */
function planText(plan: HistoryPlan): string {
  const lines = [
    `palisade: history: ${plan.inWindow} commits, ${plan.recorded} already recorded, ${plan.toScan} to scan\n`,
  ]
  const first = plan.notImported[0]
  const last = plan.notImported[plan.notImported.length - 1]
  if (first && last)
    lines.push(
      `palisade: warning: history cut by --max-commits ${plan.maxCommits}: ${plan.notImported.length} older commits not imported (${first.sha.slice(0, 12)} ${day(first.committedAt)} to ${last.sha.slice(0, 12)} ${day(last.committedAt)}); run again to import the next ones, or raise --max-commits, or narrow with --since\n`,
    )
  return lines.join('')
}

const day = (at: Date): string => at.toISOString().slice(0, 10)

/** `--max-commits`: a positive whole number. */
function maxCommitsArg(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive whole number of commits, got "${value}"`)
  return n
}

/** `2026-01-01` or `90d` / `12w` (before now). */
export function sinceArg(value: string, now: Date): Date {
  const rel = /^(\d+)([dw])$/.exec(value)
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'w' ? 7 : 1) * 86_400_000)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    return new Date(`${value}T00:00:00Z`)
  throw new ToolError('USAGE', `expected a date (YYYY-MM-DD) or a duration like 90d or 12w, got "${value}"`)
}
