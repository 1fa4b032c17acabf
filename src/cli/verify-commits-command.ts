import path from 'node:path'
import { Command } from 'commander'
import { ToolError } from '../core/index.js'
import { commitsResult, loadTrustStore, openRepository, resolveCommit, verifyRange, type Repository } from '../git/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { EXIT, type CliIo } from './io.js'
import { ConfigError, loadConfig } from '../app/index.js'
import { commitRecords } from './record-commits.js'
import { runOrigin } from '../app/index.js'
import { addStoreOption, storeLocation, withStore } from './store-access.js'
import { reportOptions, writeReport, type ReportFlags } from './write-report.js'

interface VerifyFlags extends ReportFlags {
  config?: string
  allowedSigners?: string
  openpgpKey?: string[]
  record?: boolean
  store?: string
}

/** `palisade verify-commits [RANGE]`: every commit of a range must carry a good signature by a trusted signer. */
export function verifyCommitsCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('verify-commits')
    .description('Check that every commit of a range is signed (SSH or OpenPGP) by a trusted signer, and that protected paths are signed by their group. Verification runs in-process: no gpg or ssh-keygen needed.')
    .argument('[range]', 'commits to check, in git syntax (origin/main..HEAD); default: @{upstream}..HEAD')
    .option('-c, --config <file>', 'configuration file with the signing section (default: palisade.yaml in the working directory)')
    .option('--allowed-signers <file>', 'allowed-signers file in git\'s format (overrides signing.allowedSigners)')
    .option('--openpgp-key <file>', 'armored OpenPGP public key file; repeat for more (added to signing.openpgpKeys)', (v: string, prev: string[] = []) => [...prev, v])
  command.option('--record', 'record each commit\'s signer and verdict in the findings store (palisade stats: signed share)')
  addStoreOption(command)
  return reportOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (range: string | undefined, flags: VerifyFlags) => {
      setExit(await run(range, flags, io))
    })
}

async function run(rangeArg: string | undefined, flags: VerifyFlags, io: CliIo): Promise<number> {
  const config = await loadConfig(flags.config, [], io)
  const repo = await openRepository(io.cwd)
  const range = rangeArg ?? (await defaultRange(repo))
  const fromConfig = (file: string): string => path.resolve(io.cwd, config.root, file)
  const allowedSigners = flags.allowedSigners !== undefined ? path.resolve(io.cwd, flags.allowedSigners) : config.signing?.allowedSigners === undefined ? undefined : fromConfig(config.signing.allowedSigners)
  const openpgpKeys = [...(config.signing?.openpgpKeys ?? []).map(fromConfig), ...(flags.openpgpKey ?? []).map((f) => path.resolve(io.cwd, f))]
  if (allowedSigners === undefined && openpgpKeys.length === 0) {
    throw new ToolError('USAGE', 'no trusted signers: every commit would be rejected', {
      hint: 'set signing.allowedSigners and/or signing.openpgpKeys in palisade.yaml, or pass --allowed-signers / --openpgp-key',
    })
  }
  const shown = (abs: string): string => path.relative(io.cwd, abs) || abs
  const loaded = await loadTrustStore({ ...(allowedSigners === undefined ? {} : { allowedSigners }), openpgpKeys }, shown)
  const unreadable = loaded.diagnostics.filter((d) => d.message.startsWith('cannot read'))
  if (unreadable.length > 0) throw new ConfigError(unreadable)
  const rules = { groups: config.signing?.groups ?? {}, rules: config.signing?.rules ?? [] }
  const verification = await verifyRange(repo, range, loaded.trust, rules, io.now())
  const result = commitsResult(verification.commits, verification.findings, loaded.diagnostics)
  if (flags.record) {
    const origin = await runOrigin(io.cwd, io.env)
    const records = await commitRecords(repo, origin.repo, verification, loaded.trust, io.now())
    await withStore(storeLocation(flags.store, config, io), (store) => store.recordCommits(records))
    io.stderr.write(`palisade: recorded ${records.length} commits of ${origin.repo}\n`)
  }
  // The report's verdict and the exit code are one rule: a rejected commit, or an error (unless errors: report).
  await writeReport(result, flags, io, config.errors ? { errors: config.errors } : {})
  return exitCodeFor(result, { errors: config.errors }) === 1 ? EXIT.DENIED : EXIT.OK
}

async function defaultRange(repo: Repository): Promise<string> {
  try {
    await resolveCommit(repo, '@{upstream}')
  } catch (error) {
    throw new ToolError('USAGE', 'no range given and the current branch has no upstream', { cause: error, hint: 'give a range, e.g. palisade verify-commits origin/main..HEAD' })
  }
  return '@{upstream}..HEAD'
}

const EXAMPLES = `
Examples:
  palisade verify-commits origin/main..HEAD
  palisade verify-commits "$BASE_SHA..$HEAD_SHA" --format json
  palisade verify-commits HEAD~5..HEAD --allowed-signers .github/allowed_signers --openpgp-key keys/release.asc

palisade.yaml:
  signing:
    allowedSigners: .github/allowed_signers   # git's format: principals [options] keytype key
    openpgpKeys: [keys/platform.asc]
    groups:
      platform: [alice@example.com, bob@example.com]
    rules:
      - paths: ["clusters/production/**", "policies/**"]
        groups: [platform]

Exit codes: 0 every commit verified, 1 at least one commit rejected, 2 usage or configuration error.`
