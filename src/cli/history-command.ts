import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Command } from 'commander'
import { ToolError } from '../core/index.js'
import { createResolver, withLayoutEnvironments } from '../config/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { deploymentsFrom } from '../store/index.js'
import { readHistory, extractCommit } from './history-git.js'
import type { CliIo } from './io.js'
import { EXIT } from './io.js'
import { loadConfig } from './load-config.js'
import { runScan, type ScanFlags } from './scan-command.js'
import { addStoreOption, runOrigin, storeLocation, withStore } from './store-access.js'

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
  const history = new Command('history').description('The findings store\'s history of this repository.')
  const importCommand = new Command('import')
    .description('Scan each past commit of the current branch (first-parent history) as it was, and record the runs, commit signatures and deployments in the findings store. Commits already recorded are skipped.')
    .argument('[paths...]', 'folders and files to scan inside each commit, relative to the repository root', ['.'])
    .option('--since <date>', 'only commits since this date (YYYY-MM-DD) or this long ago (90d, 12w)')
    .option('--ref <ref>', 'the branch or ref to replay (default: the current branch)')
    .option('-p, --policies <list>', 'policy sets and ids, as for scan')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml of each commit)')
    .option('--no-render', 'scan plain manifest files only (no Helm, Kustomize, Argo CD or Flux rendering)')
  addStoreOption(importCommand)
    .addHelpText('after', '\nExamples:\n  palisade history import --since 90d\n  palisade history import clusters/ --since 2026-01-01 --store postgres://palisade@db/palisade\n\nThen: palisade stats, palisade dashboard.')
    .action(async (paths: string[], flags: ImportFlags) => setExit(await runImport(paths, flags, io)))
  importCommand.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
  return history.addCommand(importCommand)
}

async function runImport(paths: string[], flags: ImportFlags, io: CliIo): Promise<number> {
  const origin = await runOrigin(io.cwd, io.env)
  if (origin.commit === undefined) throw new ToolError('USAGE', `${io.cwd} is not in a Git repository with commits`, { hint: 'run history import inside the repository' })
  const ref = flags.ref ?? origin.ref
  const since = flags.since === undefined ? undefined : sinceArg(flags.since, io.now())
  const commits = await readHistory(origin.root, flags.ref ?? 'HEAD', since)
  const config = withLayoutEnvironments(await loadConfig(flags.config, [origin.root], io))
  const resolver = createResolver(config, io.now())
  const scanPaths = paths.map((p) => path.relative(origin.root, path.resolve(io.cwd, p)) || '.')
  const scratch = await mkdtemp(path.join(tmpdir(), 'palisade-history-'))
  try {
    return await withStore(storeLocation(flags.store, config, io), async (store) => {
      const done = await store.recordedCommits(origin.repo, ref)
      let recorded = 0
      for (const [i, commit] of commits.entries()) {
        if (done.has(commit.sha)) continue
        const tree = path.join(scratch, commit.sha)
        await rm(tree, { recursive: true, force: true })
        await mkdir(tree)
        await extractCommit(origin.root, commit.sha, tree)
        const scanFlags: ScanFlags = { format: 'json', maxFileSize: DEFAULT_MAX_FILE_BYTES, render: flags.render, kubernetesVersion: '1.35', ...(flags.policies ? { policies: flags.policies } : {}), ...(flags.config ? { config: path.resolve(io.cwd, flags.config) } : {}) }
        const quiet = { ...io, cwd: tree, stdout: io.stderr }
        await runScan(scanPaths, scanFlags, quiet, { source: 'history', store, startedAt: commit.committedAt, origin: { repo: origin.repo, ref, commit: commit.sha, root: tree } })
        await rm(tree, { recursive: true, force: true })
        recorded++
        io.stderr.write(`palisade: history ${i + 1}/${commits.length} ${commit.sha.slice(0, 12)} ${commit.committedAt.toISOString().slice(0, 10)} recorded\n`)
      }
      await store.recordCommits(commits.map((c) => ({ repo: origin.repo, sha: c.sha, committedAt: c.committedAt, author: c.author, signed: c.signed, verdict: c.signed ? 'signed' : 'unsigned' })))
      // Paths from git are relative to the repository's top; the resolver's globs to the working folder.
      const environmentOf = (file: string): string | undefined => resolver.environmentForFile(path.relative(io.cwd, path.join(origin.root, file)))
      const deployments = deploymentsFrom(origin.repo, commits, environmentOf, config.store?.revertWindowDays ?? 7)
      await store.recordDeployments(deployments)
      io.stdout.write(`Recorded ${recorded} of ${commits.length} commits of ${origin.repo}@${ref} (${commits.length - recorded} already recorded); ${deployments.length} deployments.\n`)
      return EXIT.OK
    })
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** `2026-01-01` or `90d` / `12w` (before now). */
export function sinceArg(value: string, now: Date): Date {
  const rel = /^(\d+)([dw])$/.exec(value)
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'w' ? 7 : 1) * 86_400_000)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return new Date(`${value}T00:00:00Z`)
  throw new ToolError('USAGE', `expected a date (YYYY-MM-DD) or a duration like 90d or 12w, got "${value}"`)
}
