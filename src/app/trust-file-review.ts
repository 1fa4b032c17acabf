import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import type { Diagnostic } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { readObjects, toTreePath, type Repository, type TrustFileText } from '../git/index.js'
import { signingTrustFiles } from './base-trust.js'

/**
 * `scan --baseline`: the commit-signing trust files (the ones `verify-commits` reads, see
 * signingTrustFiles) that the base's or the head's palisade.yaml names, as the base commit
 * (Git objects) and the working tree hold them, for the requires-review findings of
 * src/git/review/trust-files.ts. Files outside the repository are not compared (the base has
 * no blob for them); a head file whose real path leaves the repository is not read and is
 * reported as a warning.
 */
export async function trustFileTexts(
  repo: Repository,
  commit: string,
  configs: readonly PalisadeConfig[],
  cwd: string,
): Promise<{ files: TrustFileText[]; diagnostics: Diagnostic[] }> {
  const roles = new Map<string, TrustFileText['role']>()
  for (const config of configs) {
    const named = signingTrustFiles(config.signing, (file) => path.resolve(cwd, config.root, file))
    if (named.allowedSigners !== undefined) roles.set(named.allowedSigners, 'allowedSigners')
    for (const key of named.openpgpKeys) if (!roles.has(key)) roles.set(key, 'openpgpKey')
  }
  const inTree = [...roles].flatMap(([abs, role]) => {
    const treePath = toTreePath(repo, abs)
    return treePath === undefined ? [] : [{ abs, role, treePath }]
  })
  const blobs = await readObjects(
    repo,
    inTree.map((f) => `${commit}:${f.treePath}`),
  )
  const files: TrustFileText[] = []
  const diagnostics: Diagnostic[] = []
  const root = await realpath(repo.root)
  for (const [i, f] of inTree.entries()) {
    const blob = blobs[i]
    const shown = path.relative(cwd, f.abs) || f.abs
    const head = await headText(f.abs, root)
    if (head === 'outside') {
      diagnostics.push({
        code: 'CONFIG_INVALID',
        severity: 'warning',
        message: `${shown} leads outside the repository: its change to the trusted signers is not compared with the base`,
      })
      continue
    }
    files.push({
      role: f.role,
      file: shown,
      base: blob?.type === 'blob' ? blob.data.toString('utf8') : undefined,
      head,
    })
  }
  return { files, diagnostics }
}

/** The working tree's text of a trust file; undefined when the head has none, 'outside' when a link leads out of the repository. */
async function headText(abs: string, root: string): Promise<string | undefined | 'outside'> {
  let real: string
  try {
    real = await realpath(abs)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const rel = path.relative(root, real)
  if (rel.startsWith('..') || path.isAbsolute(rel)) return 'outside'
  return readFile(real, 'utf8')
}
