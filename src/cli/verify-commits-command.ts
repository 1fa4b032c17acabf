import { Command } from 'commander'
import { verifyCommits, type SkippedMerge, type VerifiedMerge } from '../app/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { EXIT, type CliIo } from './io.js'
import { runOrigin } from '../app/index.js'
import { commitRecords } from './record-commits.js'
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
    .description(
      'Check that every commit of a range is signed (SSH or OpenPGP) by a trusted signer, and that protected paths are signed by their group. Verification runs in-process: no gpg or ssh-keygen needed.',
    )
    .argument(
      '[range]',
      'commits to check: A..B, A...B (what B adds since it forked from A), a single REF meaning REF...HEAD, with branches, tags, SHAs or HEAD~N; default: @{upstream}..HEAD',
    )
    .option(
      '-c, --config <file>',
      'configuration file with the signing section (default: palisade.yaml in the working directory)',
    )
    .option('--allowed-signers <file>', "allowed-signers file in git's format (overrides signing.allowedSigners)")
    .option(
      '--openpgp-key <file>',
      'armored OpenPGP public key file; repeat for more (added to signing.openpgpKeys)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
  command.option(
    '--record',
    "record each commit's signer and verdict in the findings store (palisade stats: signed share)",
  )
  addStoreOption(command)
  return reportOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (range: string | undefined, flags: VerifyFlags) => {
      setExit(await run(range, flags, io))
    })
}

async function run(range: string | undefined, flags: VerifyFlags, io: CliIo): Promise<number> {
  const { result, rule, repo, verification, trust, config, skippedMerge, verifiedMerge } = await verifyCommits(
    { ...(range === undefined ? {} : { range }), ...flags },
    io,
  )
  if (flags.record) {
    const origin = await runOrigin(io.cwd, io.env)
    const records = await commitRecords(repo, origin.repo, verification, trust, io.now())
    await withStore(storeLocation(flags.store, config, io), (store) => store.recordCommits(records))
    io.stderr.write(`palisade: recorded ${records.length} commits of ${origin.repo}\n`)
  }
  // The report's verdict and the exit code are one rule: a rejected commit, or an error (unless errors: report).
  const merge = mergeNotes(skippedMerge, verifiedMerge)
  await writeReport(result, flags, io, { ...rule, ...merge })
  return exitCodeFor(result, rule) === 1 ? EXIT.DENIED : EXIT.OK
}

/** The tip merge's fate, for the text (before the verdict) and JSON (`syntheticMerge`, `verifiedMerge`) reports. */
function mergeNotes(
  skipped: SkippedMerge | undefined,
  verified: VerifiedMerge | undefined,
): { jsonExtra?: Record<string, unknown>; beforeSummary?: string } {
  if (skipped)
    return {
      jsonExtra: { syntheticMerge: skipped },
      beforeSummary: `Merge ${skipped.commit.slice(0, 12)} not required to be signed: ${skipped.reason}.\nVerified instead: the pull request's own commits, ${skipped.verified.replace(/[0-9a-f]{40,64}/g, (id) => id.slice(0, 12))}.`,
    }
  if (verified)
    return {
      jsonExtra: { verifiedMerge: verified },
      beforeSummary: `Merge ${verified.commit.slice(0, 12)} at the tip: ${verified.reason}.`,
    }
  return {}
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

Ranges: A..B and A...B both check what B adds since it forked from A (as a pull request shows
it); a single REF (origin/main) means REF...HEAD; a REF at HEAD's own commit checks its whole
history. Anything else (a leading "-", whitespace, ":", reflog selectors) is a usage error.

CI merge checkouts: when the range's tip is a two-parent merge whose first parent is in the
base, whose tree is exactly git's merge of its parents and which changes only paths the pull
request's commits changed (GitHub's refs/pull/N/merge, GitLab's merged results), it is not
required to be signed; base..<second parent> (the pull request's own
commits) is verified instead and the report says so (JSON: syntheticMerge). Any other merge
(extra changes, a resolved conflict, an octopus, main merged into the branch) must be signed.

Trust: with a base (A of A..B or A...B, or the single REF), palisade.yaml's signing section and the
allowed-signers and OpenPGP key files inside the repository are read at that base, not from the
working tree (a range cannot add its own signer or drop a rule); a whole history reads the
working tree.

Exit codes: 0 every commit verified, 1 at least one commit rejected, 2 usage or configuration error.`
