import { randomBytes } from 'node:crypto'
import { runGit } from '../git/index.js'
import type { HistoryCommit } from '../store/index.js'

/** A commit of the replayed history, with whether it carries a signature (not verified here). */
export interface ReplayCommit extends HistoryCommit {
  author: string
  signed: boolean
}

const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/

/** A commit of the first-parent history, as listed before anything is read in full. */
export interface ListedCommit {
  sha: string
  committedAt: Date
}

/**
 * The whole first-parent history of `ref`, oldest first: hashes and committer dates only
 * (about 60 bytes a commit: no message or file names), to choose what an import reads in
 * full. Nothing here is the pusher's free text, and a date git cannot print is an error.
 */
export async function listHistory(top: string, ref: string): Promise<ListedCommit[]> {
  const args = ['log', '--first-parent', '--reverse', '--format=%H %ct', '--end-of-options', ref, '--']
  const text = (await runGit(args, { cwd: top })).stdout.toString('utf8')
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [sha = '', seconds = ''] = line.split(' ')
      if (!HASH.test(sha) || !/^\d+$/.test(seconds))
        throw new Error(`git log printed a commit it cannot parse: ${line.slice(0, 80)}`)
      return { sha, committedAt: gitTime(seconds) }
    })
}

/**
 * The newest `count` commits of the first-parent history of `ref` (all when undefined), oldest first.
 * Messages and file names are the pusher's text: a commit starts and its message ends at
 * markers with a random part chosen per call (a message cannot guess them, so it cannot
 * forge a commit or take another's files), and file names come NUL-separated (-z), as
 * they are, not quoted (a name with a quote, tab or newline still matches its environment).
 */
export async function readHistory(top: string, ref: string, count: number | undefined): Promise<ReplayCommit[]> {
  const nonce = randomBytes(16).toString('hex')
  const start = `\x1e${nonce}S\x1e`
  const end = `\x1e${nonce}E\x1e`
  const args = [
    'log',
    '-z',
    '--first-parent',
    '--reverse',
    `--format=${start}%H%x00%at%x00%ct%x00%an <%ae>%x00%G?%x00%B${end}`,
    '--name-only',
    '--no-renames',
    // Limiting comes before --reverse in git: the newest `count`, printed oldest first.
    ...(count === undefined ? [] : [`--max-count=${count}`]),
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
        authoredAt: gitTime(authored),
        committedAt: gitTime(committed),
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

/** The latest time a JS Date holds (year 275760). */
const LATEST = 8.64e15

/**
 * A time git printed as seconds since 1970 (`%ct`, `%at`: the pusher's claim, up to year
 * 3 million in git, whose ISO form `new Date` cannot read past year 9999). A time beyond
 * what a Date holds becomes the latest Date: still "in the future", never an invalid date.
 */
export function gitTime(seconds: string): Date {
  const ms = Number(seconds) * 1000
  return new Date(Number.isFinite(ms) && ms <= LATEST ? ms : LATEST)
}
