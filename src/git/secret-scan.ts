import type { Diagnostic } from '../core/index.js'
import { decodeSource } from '../yaml/index.js'
import { formatIdent, parseCommitObject } from './commit-object.js'
import { runGit } from './git-process.js'
import { commitPatch, listCommits, readObjects, type Repository } from './repository.js'
import { scanSecretsInFile, redactSecretsInFile, type SecretFinding, type SecretScanOptions } from './secrets/index.js'
import { showPath, toTreePath } from './tree-sources.js'
import { addedLines } from './unified-diff.js'

/** What a secret scan found, with the redacted text of each file that has findings. */
export interface SecretScan {
  findings: SecretFinding[]
  /** Files (or file versions) scanned. */
  files: number
  redacted: Map<string, string>
  diagnostics: Diagnostic[]
}

/**
 * Files of the working tree under `paths` that Git would consider: tracked files and
 * untracked ones that are not ignored (`git ls-files --cached --others --exclude-standard`),
 * as paths relative to the repository root.
 */
export async function listWorkingFiles(repo: Repository, paths: readonly string[]): Promise<string[]> {
  const specs = paths
    .map((p) => toTreePath(repo, p))
    .filter((p): p is string => p !== undefined)
    .map((p) => (p === '' ? ':(top)' : `:(top,literal)${p}`))
  if (specs.length === 0) return []
  const { stdout } = await runGit(
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name', '--', ...specs],
    { cwd: repo.cwd },
  )
  return [
    ...new Set(
      stdout
        .toString('utf8')
        .split('\0')
        .filter((p) => p !== ''),
    ),
  ].sort()
}

/** Scan decoded texts; binary and non-UTF-8 files are skipped, as they hold no readable secret. */
export function scanTexts(
  files: readonly { path: string; bytes: Uint8Array }[],
  options: SecretScanOptions,
): SecretScan {
  const scan: SecretScan = { findings: [], files: 0, redacted: new Map(), diagnostics: [] }
  for (const file of files) {
    const decoded = decodeSource(file.bytes, file.path)
    if (!('text' in decoded)) continue
    scan.files++
    const found = scanSecretsInFile(file.path, decoded.text, options)
    if (found.length === 0) continue
    scan.findings.push(...found)
    scan.redacted.set(file.path, redactSecretsInFile(file.path, decoded.text, options))
  }
  return scan
}

/**
 * `secrets --git RANGE`: for every commit of the range, the lines it added (against its
 * first parent; what a merge itself added beyond the automatic merge), checked in the
 * context of the whole new file, so YAML structure and Kubernetes kinds still count.
 * A secret is reported once, at the first commit that added it. Nothing is checked out.
 */
export async function scanRange(repo: Repository, range: string, options: SecretScanOptions): Promise<SecretScan> {
  const scan: SecretScan = { findings: [], files: 0, redacted: new Map(), diagnostics: [] }
  const seen = new Set<string>()
  const commits = await listCommits(repo, range)
  const objects = await readObjects(repo, commits)
  for (const [i, id] of commits.entries()) {
    const object = objects[i]
    const author = object ? formatIdent(parseCommitObject(id, object.data).author) : undefined
    const added = addedLines(await commitPatch(repo, id))
    const paths = [...added.keys()].filter((p) => {
      if (!p.includes('\n')) return true
      scan.diagnostics.push({
        code: 'FILE_UNREADABLE',
        severity: 'warning',
        message: `commit ${id.slice(0, 12)}: a path with a line break cannot be read and was skipped`,
      })
      return false
    })
    const blobs = await readObjects(
      repo,
      paths.map((p) => `${id}:${p}`),
    )
    paths.forEach((treePath, j) => {
      const blob = blobs[j]
      if (!blob) return
      const shown = showPath(repo, treePath)
      const decoded = decodeSource(blob.data, shown)
      if (!('text' in decoded)) return
      scan.files++
      const lines = added.get(treePath) as Set<number>
      const found = scanSecretsInFile(shown, decoded.text, options).filter((f) => lines.has(f.line))
      for (const f of found) {
        const key = `${f.file}\u0000${f.fingerprint}`
        if (seen.has(key)) continue
        seen.add(key)
        scan.findings.push({ ...f, commit: id, ...(author === undefined ? {} : { author }) })
      }
      if (found.length > 0 && !scan.redacted.has(shown))
        scan.redacted.set(shown, redactSecretsInFile(shown, decoded.text, options))
    })
  }
  return scan
}
