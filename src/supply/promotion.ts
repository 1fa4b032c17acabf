import type { EnvironmentConfig } from '../config/index.js'
import { runGit } from '../git/index.js'

const DIGEST = /sha256:[0-9a-f]{64}/g

/** One revision of an environment: when it was committed and the digests its files name. */
export interface EnvironmentRevision {
  /** Commit time, ms since the epoch. */
  time: number
  digests: ReadonlySet<string>
}

/**
 * For each digest, the longest time one unbroken run of revisions kept it: from the
 * commit that introduced it to the commit that removed it, or to `now` while it is still
 * there. Revisions are given oldest first. Pure.
 */
export function soakTimes(revisions: readonly EnvironmentRevision[], now: number): Map<string, number> {
  const best = new Map<string, number>()
  const since = new Map<string, number>()
  const close = (digest: string, end: number): void => {
    const start = since.get(digest) as number
    best.set(digest, Math.max(best.get(digest) ?? 0, Math.max(0, end - start)))
    since.delete(digest)
  }
  for (const r of revisions) {
    for (const d of [...since.keys()]) if (!r.digests.has(d)) close(d, r.time)
    for (const d of r.digests) if (!since.has(d)) since.set(d, r.time)
  }
  for (const d of [...since.keys()]) close(d, now)
  return best
}

/**
 * Read an environment's history from Git: every first-parent commit of HEAD that changed
 * a file under the environment's `paths`, with the image digests those files named at
 * that commit (manifests, Helm values, kustomize `images:` alike: any `sha256:<hex>`).
 * Oldest first; at most `maxCommits` of the newest.
 */
export async function readEnvironmentHistory(
  repoDir: string,
  env: EnvironmentConfig,
  maxCommits = 500,
): Promise<EnvironmentRevision[]> {
  const pathspecs = env.paths.map((p) => `:(glob)${p}`)
  const log = await runGit(
    ['log', '--first-parent', `-n${maxCommits}`, '--format=%H %ct', 'HEAD', '--', ...pathspecs],
    { cwd: repoDir },
  )
  const commits = log.stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [hash, time] = l.split(' ')
      return { hash: hash as string, time: Number(time) * 1000 }
    })
    .reverse()
  const out: EnvironmentRevision[] = []
  for (const c of commits) {
    const grep = await runGit(['grep', '-h', '-o', '-I', '-E', 'sha256:[0-9a-f]{64}', c.hash, '--', ...pathspecs], {
      cwd: repoDir,
      okCodes: [0, 1],
    })
    out.push({ time: c.time, digests: new Set(grep.stdout.toString('utf8').match(DIGEST) ?? []) })
  }
  return out
}
