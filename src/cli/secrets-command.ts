import { Command, Option } from 'commander'
import { runSecretScan } from '../app/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { byteCountArg } from './byte-count-arg.js'
import { EXIT, type CliIo } from './io.js'
import { reportOptions, writeReport, type ReportFlags } from './write-report.js'

interface SecretsFlags extends ReportFlags {
  git?: string
  config?: string
  maxFileSize: number
}

/** `palisade secrets [PATH...]`: find credentials in files, or in what a range of commits added. */
export function secretsCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('secrets')
    .description(
      'Find credentials (cloud keys, service tokens, private keys, passwords, high-entropy values, plaintext Kubernetes Secrets) in files or in the lines a range of commits added. Reports never show a secret: a redacted preview and a fingerprint only.',
    )
    .argument(
      '[paths...]',
      'files and folders to scan (each in the Git repository that holds it: the files Git tracks or would add; outside Git: every file)',
      ['.'],
    )
    .option(
      '--git <range>',
      'scan the lines each commit of the range added instead of the working tree: A..B, A...B (what B adds since it forked from A), or a single REF meaning REF...HEAD (origin/main)',
    )
    .option(
      '-c, --config <file>',
      'configuration file (default: palisade.yaml in the scanned folder or the working directory)',
    )
    .addOption(
      new Option('--max-file-size <bytes>', 'skip files larger than this')
        .default(DEFAULT_MAX_FILE_BYTES)
        .argParser(byteCountArg),
    )
  return reportOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: SecretsFlags) => {
      setExit(await run(paths, flags, io))
    })
}

async function run(paths: string[], flags: SecretsFlags, io: CliIo): Promise<number> {
  const { result, rule } = await runSecretScan(
    {
      paths,
      maxFileSize: flags.maxFileSize,
      ...(flags.git === undefined ? {} : { git: flags.git }),
      ...(flags.config === undefined ? {} : { config: flags.config }),
    },
    io,
  )
  // The report's verdict and the exit code are one rule: a secret found, or a file that could not be read (unless errors: report).
  await writeReport(result, flags, io, rule)
  return exitCodeFor(result, rule) === 1 ? EXIT.DENIED : EXIT.OK
}

const EXAMPLES = `
Examples:
  palisade secrets                               the files of this repository (tracked, and untracked but not ignored)
  palisade secrets deploy/ --format sarif -o secrets.sarif
  palisade secrets --git origin/main..HEAD       only what the commits of a pull request added

Known false positives are allowed by fingerprint in palisade.yaml:
  secrets:
    allow:
      - fingerprint: 3f1c0d9e2b7a4c6d8e0f1a2b3c4d5e6f
        reason: documented test key of the fake payment provider

Exit codes: 0 nothing found (or only allowed fingerprints), 1 a secret found, 2 usage or configuration error.`
