import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs'
import path from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { describeError, outsideRootMessage, ToolError, type Diagnostic } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import {
  DEFAULT_ENTROPY,
  listWorkingFiles,
  openRepository,
  readObjects,
  scanRange,
  scanTexts,
  secretsResult,
  showPath,
  type Repository,
  type SecretScan,
  type SecretScanOptions,
} from '../git/index.js'
import { discoverFiles, readSource, realPathInside, DEFAULT_MAX_FILE_BYTES } from '../sources/index.js'
import { exitCodeFor } from '../pipeline/index.js'
import { EXIT, type CliIo } from './io.js'
import { loadConfig } from './load-config.js'
import { reportOptions, writeReport, type ReportFlags } from './write-report.js'

interface SecretsFlags extends ReportFlags {
  git?: string
  config?: string
  maxFileSize: number
}

/** `palisade secrets [PATH...]`: find credentials in files, or in what a range of commits added. */
export function secretsCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('secrets')
    .description('Find credentials (cloud keys, service tokens, private keys, passwords, high-entropy values, plaintext Kubernetes Secrets) in files or in the lines a range of commits added. Reports never show a secret: a redacted preview and a fingerprint only.')
    .argument('[paths...]', 'files and folders to scan (each in the Git repository that holds it: the files Git tracks or would add; outside Git: every file)', ['.'])
    .option('--git <range>', 'scan the lines each commit of the range added (origin/main..HEAD) instead of the working tree')
    .option('-c, --config <file>', 'configuration file (default: palisade.yaml in the scanned folder or the working directory)')
    .addOption(new Option('--max-file-size <bytes>', 'skip files larger than this').default(DEFAULT_MAX_FILE_BYTES).argParser(positiveInt))
  return reportOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: SecretsFlags) => {
      setExit(await run(paths, flags, io))
    })
}

/** Secret scan options from palisade.yaml (allowed fingerprints, entropy thresholds). */
export function secretOptions(config: PalisadeConfig): SecretScanOptions {
  const entropy = config.secrets?.entropy
  return {
    allow: new Map((config.secrets?.allow ?? []).map((a) => [a.fingerprint, a.reason])),
    ...(entropy ? { entropy: { ...DEFAULT_ENTROPY, ...entropy } } : {}),
  }
}

async function run(paths: string[], flags: SecretsFlags, io: CliIo): Promise<number> {
  const config = await loadConfig(flags.config, paths, io)
  const options = secretOptions(config)
  let scan: SecretScan
  if (flags.git !== undefined) {
    if (paths.length !== 1 || paths[0] !== '.') throw new ToolError('USAGE', '--git scans a range of commits; do not give paths with it')
    scan = await scanRange(await openRepository(io.cwd), flags.git, options)
  } else {
    scan = await scanWorkingTree(paths, flags.maxFileSize, options, io)
  }
  const result = secretsResult(scan.findings, scan.files, scan.redacted, scan.diagnostics)
  // The report's verdict and the exit code are one rule: a secret found, or a file that could not be read (unless errors: report).
  await writeReport(result, flags, io, config.errors ? { errors: config.errors } : {})
  return exitCodeFor(result, { errors: config.errors }) === 1 ? EXIT.DENIED : EXIT.OK
}

/**
 * Files under the paths, each path checked where it is: in the Git repository that holds
 * it (the files Git tracks or would add there), or, outside any repository, every file
 * below it (minus .palisadeignore). The working directory does not choose the repository.
 * Each path is a root: a tracked symlink whose real path leaves it is reported, not read.
 * A path that does not exist is a usage error.
 */
async function scanWorkingTree(paths: readonly string[], maxBytes: number, options: SecretScanOptions, io: CliIo): Promise<SecretScan> {
  const diagnostics: Diagnostic[] = []
  const files: { path: string; bytes: Uint8Array }[] = []
  const seen = new Set<string>()
  const display = (abs: string): string => {
    const rel = path.relative(io.cwd, abs)
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel
  }
  const warn = (shown: string, message: string): void => {
    diagnostics.push({ code: 'FILE_UNREADABLE', severity: 'warning', message, span: { file: shown, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } })
  }
  const add = (found: { path: string; absolutePath: string }, real: string): void => {
    if (seen.has(real)) return
    seen.add(real)
    const read = readSource(found, maxBytes)
    if ('bytes' in read) files.push(read)
    else diagnostics.push({ ...read, severity: 'warning' })
  }
  for (const given of paths) {
    const abs = path.resolve(io.cwd, given)
    let info: Stats
    let rootReal: string
    try {
      info = statSync(abs)
      rootReal = realpathSync.native(abs)
    } catch (error) {
      throw new ToolError('USAGE', `cannot read ${given}`, { cause: error, hint: 'give files or folders that exist' })
    }
    const repo = await openRepository(info.isDirectory() ? abs : path.dirname(abs)).catch((error: unknown) => {
      if (error instanceof ToolError && error.code === 'GIT_FAILED') return undefined
      throw error
    })
    if (!repo) {
      const found = await discoverFiles([abs], { cwd: io.cwd, allFiles: true })
      diagnostics.push(...found.diagnostics)
      // discoverFiles already resolved and deduplicated these; the absolute path keys overlapping arguments.
      for (const f of found.files) add(f, f.absolutePath)
      continue
    }
    for (const treePath of await listWorkingFiles(repo, [abs])) {
      const fileAbs = path.join(repo.root, ...treePath.split('/'))
      const shown = display(fileAbs)
      let real: string | undefined
      try {
        real = lstatSync(fileAbs).isSymbolicLink() ? realPathInside(fileAbs, rootReal) : fileAbs
      } catch (error) {
        warn(shown, `cannot read ${shown}: ${describeError(error)}`)
        continue
      }
      if (real === undefined) warn(shown, outsideRootMessage(shown, display(abs)))
      else add({ path: shown, absolutePath: fileAbs }, real)
    }
  }
  const scan = scanTexts(files, options)
  scan.diagnostics.push(...diagnostics)
  return scan
}

/** Staged files (the index, not the working tree): used by the pre-commit hook. */
export async function scanStaged(repo: Repository, staged: readonly string[], options: SecretScanOptions): Promise<SecretScan> {
  const readable = staged.filter((p) => !p.includes('\n'))
  const blobs = await readObjects(repo, readable.map((p) => `:${p}`))
  const files = readable.flatMap((p, i) => {
    const blob = blobs[i]
    return blob ? [{ path: showPath(repo, p), bytes: blob.data }] : []
  })
  return scanTexts(files, options)
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number of bytes, got "${value}"`)
  return n
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
