import { randomBytes } from 'node:crypto'
import { runGit } from '../git/index.js'
import type { HistoryCommit } from '../store/index.js'

/** A commit of the replayed history, with whether it carries a signature (not verified here). */
export interface ReplayCommit extends HistoryCommit {
  author: string
  signed: boolean
}

const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/

/**
 * The first-parent history of `ref`, oldest first, optionally only commits since a date.
 * Messages and file names are the pusher's text: a commit starts and its message ends at
 * markers with a random part chosen per call (a message cannot guess them, so it cannot
 * forge a commit or take another's files), and file names come NUL-separated (-z), as
 * they are, not quoted (a name with a quote, tab or newline still matches its environment).
 */
export async function readHistory(top: string, ref: string, since: Date | undefined): Promise<ReplayCommit[]> {
  const nonce = randomBytes(16).toString('hex')
  const start = `\x1e${nonce}S\x1e`
  const end = `\x1e${nonce}E\x1e`
  const args = [
    'log',
    '-z',
    '--first-parent',
    '--reverse',
    `--format=${start}%H%x00%aI%x00%cI%x00%an <%ae>%x00%G?%x00%B${end}`,
    '--name-only',
    '--no-renames',
    ...(since ? [`--since=${since.toISOString()}`] : []),
    '--end-of-options',
    ref,
    '--',
  ]
  const text = (await runGit(args, { cwd: top })).stdout.toString('utf8')
  return text
    .split(start)
    .slice(1)
    .map((chunk) => {
      const at = chunk.lastIndexOf(end)
      const [sha = '', authored = '', committed = '', author = '', sig = 'N', ...message] = chunk
        .slice(0, at)
        .split('\0')
      if (at < 0 || !HASH.test(sha)) throw new Error(`git log printed a commit it cannot parse: ${sha.slice(0, 80)}`)
      return {
        sha,
        authoredAt: new Date(authored),
        committedAt: new Date(committed),
        author,
        // %G? is N when the commit has no signature; any other letter means it carries one.
        signed: sig !== 'N' && sig !== '',
        message: message.join('\0'),
        // After the format: NUL, a newline, then each name NUL-terminated.
        paths: chunk
          .slice(at + end.length)
          .replace(/^\0?\n?/, '')
          .split('\0')
          .filter((f) => f !== ''),
      }
    })
}
