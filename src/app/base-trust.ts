import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ToolError, type Diagnostic } from '../core/index.js'
import { parseConfig, type PalisadeConfig } from '../config/index.js'
import { readObjects, resolveCommit, toTreePath, type Repository } from '../git/index.js'

/**
 * The trust files palisade.yaml's `signing` section names (the allowed-signers file and the
 * OpenPGP key files), absolute: where `verify-commits` reads the trusted signers from, and
 * what `scan --baseline` compares between the base and the head (trust-file-review.ts).
 */
export function signingTrustFiles(
  signing: PalisadeConfig['signing'],
  absolute: (file: string) => string,
): { allowedSigners?: string; openpgpKeys: string[] } {
  return {
    ...(signing?.allowedSigners === undefined ? {} : { allowedSigners: absolute(signing.allowedSigners) }),
    openpgpKeys: (signing?.openpgpKeys ?? []).map(absolute),
  }
}

/** A file of the trust store as the base commit holds it, and the reader that gives it. */
export interface BaseTrustReader {
  /** Reads a trust file: the base commit's blob for files inside the repository, the disk for others. */
  readText: (absolute: string) => Promise<string>
  /** Warnings: trust files the head changed (their change is not trusted by this run). */
  changed: () => Promise<Diagnostic[]>
}

/**
 * Trust files read at the base commit, never from the working tree: a pull request that
 * edits the allowed-signers file or an OpenPGP key file (adding its own key) must not make
 * its own commits pass. The base ref goes to git after `--end-of-options` (resolveCommit)
 * and the path on stdin of `cat-file --batch` (readObjects), never as an option.
 * `fromRepository` lists the files palisade.yaml names: these must be inside the repository.
 */
export async function baseTrustReader(
  repo: Repository,
  baseRef: string,
  fromRepository: ReadonlySet<string>,
  shown: (absolute: string) => string,
): Promise<BaseTrustReader> {
  const base = await resolveCommit(repo, baseRef)
  const read = new Map<string, string>()
  const inRepository = (absolute: string): string | undefined => {
    const relative = path.relative(repo.root, absolute)
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined
    return relative.split(path.sep).join('/')
  }
  const readText = async (absolute: string): Promise<string> => {
    const relative = inRepository(absolute)
    if (relative === undefined) {
      if (fromRepository.has(absolute))
        throw new ToolError('CONFIG_INVALID', `${shown(absolute)} is outside the repository`, {
          hint: 'palisade.yaml names trust files inside the repository; pass others with --allowed-signers / --openpgp-key',
        })
      return readFile(absolute, 'utf8')
    }
    const [object] = await readObjects(repo, [`${base}:${relative}`])
    if (object?.type !== 'blob')
      throw new ToolError('CONFIG_INVALID', `not in the base commit ${baseRef} (${base.slice(0, 12)})`, {
        hint: 'trusted signers come from the branch a pull request targets: add the file there first',
      })
    const text = object.data.toString('utf8')
    read.set(absolute, text)
    return text
  }
  const changed = async (): Promise<Diagnostic[]> => {
    const out: Diagnostic[] = []
    for (const [absolute, text] of read) {
      let head: string
      try {
        head = await readFile(absolute, 'utf8')
      } catch {
        continue // deleted or unreadable at the head: nothing more is trusted than at the base
      }
      if (head === text) continue
      out.push({
        code: 'CONFIG_INVALID',
        severity: 'warning',
        message: `${shown(absolute)} differs from the base ${baseRef}: this change to the trusted signers is not trusted by this run and needs review`,
        span: {
          file: shown(absolute),
          start: { line: 1, column: 1, offset: 0 },
          end: { line: 1, column: 1, offset: 0 },
        },
        hint: 'signers are read from the base commit; the new ones count once the change is merged',
      })
    }
    return out
  }
  return { readText, changed }
}

/**
 * palisade.yaml's `signing:` section as the base commit holds it (same file, read from Git),
 * so a range cannot drop a rule, widen a group or name another trust file for itself. The
 * head's section when the base has no such file or cannot parse it (a warning says so);
 * its trust files are still read at the base.
 */
export async function baseSigning(
  repo: Repository,
  baseRef: string,
  head: PalisadeConfig,
): Promise<{ signing: PalisadeConfig['signing']; diagnostics: Diagnostic[] }> {
  if (head.file === undefined) return { signing: head.signing, diagnostics: [] }
  const treePath = toTreePath(repo, head.file)
  const base = await resolveCommit(repo, baseRef)
  const [blob] = treePath === undefined ? [undefined] : await readObjects(repo, [`${base}:${treePath}`])
  const parsed = blob?.type === 'blob' ? parseConfig(blob.data.toString('utf8'), head.file, head.root) : undefined
  if (parsed?.config !== undefined) return { signing: parsed.config.signing, diagnostics: [] }
  return {
    signing: head.signing,
    diagnostics: [
      {
        code: 'CONFIG_INVALID',
        severity: 'warning',
        message: `${head.file} is ${parsed === undefined ? 'not in' : 'invalid in'} the base ${baseRef}: its signing rules and groups are the head's`,
      },
    ],
  }
}
