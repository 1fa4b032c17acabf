import { runGit } from '../git/index.js'
import type { HistoryCommit } from '../store/index.js'

/** A commit of the replayed history, with whether it carries a signature (not verified here). */
export interface ReplayCommit extends HistoryCommit {
  author: string
  signed: boolean
}

const SEP = '\x1e'

/** The first-parent history of `ref`, oldest first, optionally only commits since a date. */
export async function readHistory(top: string, ref: string, since: Date | undefined): Promise<ReplayCommit[]> {
  const args = [
    'log',
    '--first-parent',
    '--reverse',
    `--format=${SEP}%H%x00%aI%x00%cI%x00%an <%ae>%x00%G?%x00%B%x00`,
    '--name-only',
    '--no-renames',
    ...(since ? [`--since=${since.toISOString()}`] : []),
    '--end-of-options',
    ref,
    '--',
  ]
  const text = (await runGit(args, { cwd: top })).stdout.toString('utf8')
  return text
    .split(SEP)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [sha = '', authored = '', committed = '', author = '', sig = 'N', message = '', files = ''] =
        chunk.split('\0')
      return {
        sha,
        authoredAt: new Date(authored),
        committedAt: new Date(committed),
        author,
        // %G? is N when the commit has no signature; any other letter means it carries one.
        signed: sig.trim() !== 'N' && sig.trim() !== '',
        message,
        paths: files
          .split('\n')
          .map((f) => f.trim())
          .filter((f) => f !== ''),
      }
    })
}
