import path from 'node:path'
import { Command } from 'commander'
import { ToolError } from '../core/index.js'
import { withLayoutEnvironments } from '../config/index.js'
import { importHistory, loadConfig } from '../app/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import type { CliIo } from './io.js'
import { EXIT } from './io.js'
import { VERSION } from './version.js'
import { addStoreOption, storeLocation, withStore } from './store-access.js'

interface ImportFlags {
  since?: string
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
    .option('--ref <ref>', 'the branch or ref to replay (default: the current branch)')
    .option('-p, --policies <list>', 'policy sets and ids, as for scan')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml of each commit)')
    .option('--no-render', 'scan plain manifest files only (no Helm, Kustomize, Argo CD or Flux rendering)')
  addStoreOption(importCommand)
    .addHelpText(
      'after',
      '\nExamples:\n  palisade history import --since 90d\n  palisade history import clusters/ --since 2026-01-01 --store postgres://palisade@db/palisade\n\nThen: palisade stats, palisade dashboard.',
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
        scan,
        config,
        toolVersion: VERSION,
        onCommit: (i, n, sha, at) =>
          io.stderr.write(
            `palisade: history ${i}/${n} ${sha.slice(0, 12)} ${at.toISOString().slice(0, 10)} recorded\n`,
          ),
      },
      store,
      io,
    ),
  )
  io.stdout.write(
    `Recorded ${done.recorded} of ${done.commits} commits of ${done.repo}@${done.ref} (${done.commits - done.recorded} already recorded); ${done.deployments} deployments.\n`,
  )
  return EXIT.OK
}

/** `2026-01-01` or `90d` / `12w` (before now). */
export function sinceArg(value: string, now: Date): Date {
  const rel = /^(\d+)([dw])$/.exec(value)
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'w' ? 7 : 1) * 86_400_000)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    return new Date(`${value}T00:00:00Z`)
  throw new ToolError('USAGE', `expected a date (YYYY-MM-DD) or a duration like 90d or 12w, got "${value}"`)
}
