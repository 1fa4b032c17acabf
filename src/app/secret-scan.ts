import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs'
import path from 'node:path'
import {
  describeError,
  outsideRootMessage,
  ToolError,
  type BlockingRule,
  type CheckResult,
  type Diagnostic,
} from '../core/index.js'
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
import { resolvePrRange } from './pr-range.js'
import { discoverFiles, readSource, realPathInside } from '../sources/index.js'
import type { AppIo } from './io.js'
import { loadConfig } from './load-config.js'
import { withMaskedStrings } from './redact-result.js'

/** What `palisade secrets` is asked. */
export interface SecretScanRequest {
  paths: readonly string[]
  /** `--git RANGE`: the lines each commit of the range added, instead of the working tree. */
  git?: string
  config?: string
  maxFileSize: number
}

/**
 * `palisade secrets` as a use case: the files under the paths (or what a range of commits
 * added) scanned for credentials, as a complete result (sources redacted by the scan,
 * printed strings masked), with the rule it blocks by: a secret found, or a file that could
 * not be read (unless palisade.yaml says errors: report).
 */
export async function runSecretScan(
  request: SecretScanRequest,
  io: AppIo,
): Promise<{ result: CheckResult; rule: BlockingRule; config: PalisadeConfig }> {
  const { paths } = request
  const config = await loadConfig(request.config, paths, io)
  const options = secretOptions(config)
  let scan: SecretScan
  if (request.git !== undefined) {
    if (paths.length !== 1 || paths[0] !== '.')
      throw new ToolError('USAGE', '--git scans a range of commits; do not give paths with it')
    const repo = await openRepository(io.cwd)
    scan = await scanRange(repo, (await resolvePrRange(repo, request.git, '--git')).revList, options)
  } else {
    scan = await scanWorkingTree(paths, request.maxFileSize, options, io)
  }
  const result = secretsResult(scan.findings, scan.files, scan.redacted, scan.diagnostics)
  return { result: withMaskedStrings(result), rule: config.errors ? { errors: config.errors } : {}, config }
}

/** Secret scan options from palisade.yaml (allowed fingerprints, entropy thresholds). */
export function secretOptions(config: PalisadeConfig): SecretScanOptions {
  const entropy = config.secrets?.entropy
  return {
    allow: new Map((config.secrets?.allow ?? []).map((a) => [a.fingerprint, a.reason])),
    ...(entropy ? { entropy: { ...DEFAULT_ENTROPY, ...entropy } } : {}),
  }
}

/**
 * Files under the paths, each path checked where it is: in the Git repository that holds
 * it (the files Git tracks or would add there), or, outside any repository, every file
 * below it (minus .palisadeignore). The working directory does not choose the repository.
 * Each path is a root: a tracked symlink whose real path leaves it is reported, not read.
 * A path that does not exist is a usage error.
 */
export async function scanWorkingTree(
  paths: readonly string[],
  maxBytes: number,
  options: SecretScanOptions,
  io: AppIo,
): Promise<SecretScan> {
  const diagnostics: Diagnostic[] = []
  const files: { path: string; bytes: Uint8Array }[] = []
  const seen = new Set<string>()
  const display = (abs: string): string => {
    const rel = path.relative(io.cwd, abs)
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel
  }
  const warn = (shown: string, message: string): void => {
    diagnostics.push({
      code: 'FILE_UNREADABLE',
      severity: 'warning',
      message,
      span: { file: shown, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    })
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
export async function scanStaged(
  repo: Repository,
  staged: readonly string[],
  options: SecretScanOptions,
): Promise<SecretScan> {
  const readable = staged.filter((p) => !p.includes('\n'))
  const blobs = await readObjects(
    repo,
    readable.map((p) => `:${p}`),
  )
  const files = readable.flatMap((p, i) => {
    const blob = blobs[i]
    return blob ? [{ path: showPath(repo, p), bytes: blob.data }] : []
  })
  return scanTexts(files, options)
}
